import { headers as natsHeaders } from '@nats-io/nats-core';
import { Subjects } from '@orderhub/contracts';
import type { PlatformMetrics } from '../metrics/metrics';
import type { NatsClient } from '../nats/nats-client';
import { DlqHeaders } from './dead-letter';

/** The DLQ `consumer` of events an outbox relay could not publish: their parked copy is a summary. */
export const OUTBOX_RELAY_CONSUMER = 'outbox-relay';

/** Ids and names of an event's data are kept in its summary; longer values (lists, the order) are not. */
const SUMMARY_VALUE_CHARS = 200;

/**
 * Why an event can never be published as it is, or undefined when trying again may succeed: larger
 * than the server's max_payload, a stored payload that is not JSON, or one a schema refuses.
 */
export function unpublishableReason(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  if (/max_payload/i.test(err.message)) return `larger than the NATS max_payload: ${err.message}`;
  if (err instanceof SyntaxError) return `stored payload is not JSON: ${err.message}`;
  if (err.name === 'ZodError' || err.name === 'InvalidEnvelopeError') return `refused by the event schema: ${err.message.slice(0, 500)}`;
  return undefined;
}

/**
 * Parks an event that cannot be published in the dead-letter stream, so it no longer blocks the
 * events after it: the copy is a summary (envelope fields, the data's ids, the payload's size),
 * since the event itself is what could not be published. It is listed per account with the reason
 * like any parked message, counts in `orderhub_dead_lettered_messages_total` (reason
 * `unpublishable`, which the dead-letter alert fires on) and cannot be replayed.
 */
export class UnpublishableEvents {
  constructor(
    private readonly nats: NatsClient,
    private readonly metrics: PlatformMetrics,
  ) {}

  async park(subject: string, eventId: string, payload: string, reason: string): Promise<void> {
    const h = natsHeaders();
    h.set(DlqHeaders.reason, reason.slice(0, 2000).replace(/[\r\n]+/g, ' '));
    h.set(DlqHeaders.subject, subject);
    h.set(DlqHeaders.consumer, OUTBOX_RELAY_CONSUMER);
    h.set(DlqHeaders.deliveries, '0');
    h.set(DlqHeaders.parkedAt, new Date().toISOString());
    await this.nats.js.publish(this.nats.names.subject(`${Subjects.deadLetter}.${subject}`), JSON.stringify(summaryOf(eventId, payload)), {
      headers: h,
      msgID: `dlq:outbox:${eventId}`,
    });
    this.metrics.deadLettered.inc({ subject, reason: 'unpublishable' });
  }
}

function summaryOf(eventId: string, payload: string): Record<string, unknown> {
  const short = (value: unknown) =>
    (typeof value === 'string' && value.length <= SUMMARY_VALUE_CHARS) || typeof value === 'number' || typeof value === 'boolean';
  let envelope: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(payload);
    if (parsed && typeof parsed === 'object') envelope = parsed as Record<string, unknown>;
  } catch {
    // a payload that is not JSON keeps only its id and size
  }
  const data = envelope.data && typeof envelope.data === 'object' ? (envelope.data as Record<string, unknown>) : {};
  const pick = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => short(v)));
  return { ...pick(envelope), eventId, data: pick(data), payloadBytes: Buffer.byteLength(payload) };
}
