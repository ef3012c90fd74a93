import type { OrderAggregate } from '../domain/order';
import { type OutboxEntry, outboxEntry } from '../infrastructure/outbox';
import { toOrderView } from './order-view';

/**
 * Turns the aggregate's domain events into integration-event envelopes for the outbox. Each carries
 * the order reference and the order as it is after the change.
 */
export function orderOutboxEntries(order: OrderAggregate, eventIdFor?: (subject: string, index: number) => string): OutboxEntry[] {
  const data = order.snapshot;
  const ref = { orderId: data.id, connectionId: data.connectionId, channel: data.channel, externalId: data.externalId };
  const view = toOrderView(data);
  const now = new Date();
  return order.changes.events.map((event, index) =>
    outboxEntry(event.subject, {
      accountId: data.accountId,
      occurredAt: now,
      ...(eventIdFor ? { eventId: eventIdFor(event.subject, index) } : {}),
      data: { ...ref, ...event.data, order: view },
    }),
  );
}
