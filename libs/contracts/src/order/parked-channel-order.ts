import { z } from 'zod';

/**
 * A channel order the connector could not read (no positions, no order date): kept with the reason
 * instead of being skipped, listed per connection and retried on request once the shop fixed it.
 */
export const ParkedChannelOrderSchema = z.object({
  connectionId: z.string(),
  externalId: z.string(),
  orderNumber: z.string().optional(),
  reason: z.string(),
  parkedAt: z.iso.datetime(),
  /** The last time a poll or a retry read it and still could not import it. */
  lastSeenAt: z.iso.datetime(),
  attempts: z.number().int().positive(),
});
export type ParkedChannelOrder = z.infer<typeof ParkedChannelOrderSchema>;

export const ParkedChannelOrderListSchema = z.object({ items: z.array(ParkedChannelOrderSchema) });
export type ParkedChannelOrderList = z.infer<typeof ParkedChannelOrderListSchema>;

/** `imported`: handed to the hub and no longer parked; `parked`: read again and still not importable (see `reason`). */
export const ParkedOrderRetryResultSchema = z.object({
  externalId: z.string(),
  outcome: z.enum(['imported', 'parked']),
  reason: z.string().optional(),
  orderId: z.string().optional(),
});
export type ParkedOrderRetryResult = z.infer<typeof ParkedOrderRetryResultSchema>;

/** A channel's order id in a path: what shops use as ids, nothing that could be a NATS token separator. */
export const ChannelOrderIdParam = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,200}$/, "the channel's order id: letters, digits, _ and - (at most 200)")
  .describe("The channel's order id (externalId)");
