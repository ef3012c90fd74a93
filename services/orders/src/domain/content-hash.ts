import { createHash } from 'node:crypto';
import type { ChannelOrder } from '@orderhub/contracts';

/** Key-order independent JSON, so the same content always hashes the same. */
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
 * HUB-2: what decides "identical import". The raw payload is left out: channels add volatile fields
 * (timestamps, links) that do not change the order.
 */
export function channelOrderHash(order: ChannelOrder): string {
  const { rawPayload: _raw, ...content } = order;
  return createHash('sha256').update(canonical(content)).digest('hex');
}
