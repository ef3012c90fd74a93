import { randomUUID } from 'node:crypto';
import { currentContext } from '@orderhub/platform';
import type { OrderAggregate } from '../domain/order';
import type { OutboxEntry } from '../infrastructure/outbox';
import { toOrderView } from './order-view';

/**
 * Turns the aggregate's domain events into integration-event envelopes for the outbox. Each carries
 * the order reference and the order as it is after the change.
 */
export function orderOutboxEntries(order: OrderAggregate, eventIdFor?: (subject: string, index: number) => string): OutboxEntry[] {
  const data = order.snapshot;
  const view = toOrderView(data);
  const now = new Date();
  const correlationId = currentContext()?.correlationId;
  return order.changes.events.map((event, index) => {
    const eventId = eventIdFor?.(event.subject, index) ?? randomUUID();
    const envelope = {
      eventId,
      type: event.subject,
      version: 1,
      occurredAt: now.toISOString(),
      accountId: data.accountId,
      ...(correlationId ? { correlationId } : {}),
      data: {
        orderId: data.id,
        connectionId: data.connectionId,
        channel: data.channel,
        externalId: data.externalId,
        ...event.data,
        order: view,
      },
    };
    return { eventId, subject: event.subject, payload: JSON.stringify(envelope), createdAt: now };
  });
}
