import { createHmac, timingSafeEqual } from 'node:crypto';
import { Subjects } from '../subjects';

/**
 * The filters a subscription can choose (`GET /webhooks/filters`) and the order event each stands for.
 * Billbee documents only `order.created`; the other names follow its pattern with our event names.
 */
export const BillbeeWebhookFilters = [
  { Name: 'order.created', Description: 'An order was imported from a channel', subject: Subjects.orderImported },
  { Name: 'order.updated', Description: 'A channel changed an order (positions, addresses, amounts)', subject: Subjects.orderUpdated },
  { Name: 'order.state-changed', Description: 'The state of an order changed', subject: Subjects.orderStateChanged },
  { Name: 'order.shipped', Description: 'An order was shipped', subject: Subjects.orderShipped },
  { Name: 'order.cancelled', Description: 'An order was cancelled', subject: Subjects.orderCancelled },
  { Name: 'order.tags-changed', Description: 'Tags were added to or removed from an order', subject: Subjects.orderTagsChanged },
  { Name: 'order.shipment-added', Description: 'A shipment (tracking number) was added to an order', subject: Subjects.orderShipmentAdded },
] as const;

/** `*` (ASP.NET WebHooks' wildcard) subscribes to every filter. */
export const WEBHOOK_WILDCARD_FILTER = '*';

export const WEBHOOK_FILTER_NAMES: readonly string[] = BillbeeWebhookFilters.map((f) => f.Name);

/** The filter name (`Action`) of one of our event subjects, or undefined when it is not offered. */
export function webhookActionFor(subject: string): string | undefined {
  return BillbeeWebhookFilters.find((f) => f.subject === subject)?.Name;
}

export function subscriptionWants(filters: readonly string[], action: string): boolean {
  return filters.some((f) => f === WEBHOOK_WILDCARD_FILTER || f.toLowerCase() === action);
}

/**
 * The body of one delivery (ASP.NET WebHooks format): `Id` is the delivery id, the same on every
 * attempt, so receivers deduplicate on it; `Attempt` counts from 1.
 */
export interface BillbeeWebhookDelivery {
  Id: string;
  Attempt: number;
  Properties: Record<string, unknown>;
  Notifications: ({ Action: string } & Record<string, unknown>)[];
}

/** Header with the body's signature: `sha256=<hex HMAC-SHA256 of the exact body, key = UTF-8 secret>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'ms-signature';

export function signWebhookBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(body, 'utf8').digest('hex')}`;
}

export function verifyWebhookSignature(body: string, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signWebhookBody(body, secret));
  const given = Buffer.from(header.trim().toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}
