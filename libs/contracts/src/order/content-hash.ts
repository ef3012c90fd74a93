import { createHash } from 'node:crypto';
import type { ChannelOrder } from './order';

/** Key-order independent JSON without undefined fields, so the same content always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * HUB-2: what decides "identical import", for the orders service, the connectors' checkpoints and the
 * import event ids alike. The raw payload is left out: channels add volatile fields (timestamps,
 * links) that do not change the order.
 */
export function orderContentHash(order: ChannelOrder): string {
  const { rawPayload: _raw, ...content } = order;
  return createHash('sha256').update(canonical(content)).digest('hex');
}

/**
 * `import:<connectionId>:<externalId>:<orderContentHash>`: the same content re-read in an overlap
 * window gets the same id, which the stream's duplicate window drops. The external id is cut to keep
 * the id within the envelope's 200 characters; the hash covers it whole, so ids stay distinct.
 */
export function orderImportEventId(connectionId: string, order: ChannelOrder): string {
  return `import:${connectionId}:${order.externalId.slice(0, 80)}:${orderContentHash(order)}`;
}
