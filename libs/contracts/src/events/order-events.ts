import { z } from 'zod';
import { Subjects } from '../subjects';
import { envelope } from './envelope';
import { ActivityOutcomeSchema, OrderSchema, OrderStateIdSchema, ShipmentSchema } from '../order/order';

const orderRef = {
  orderId: z.string(),
  connectionId: z.string(),
  channel: z.string(),
  externalId: z.string(),
};
/**
 * Set on an event published again on request ("resend write-back"): the channel may already have it,
 * so connectors ask the channel first and never write a change twice; other consumers ignore it.
 */
const resend = { resend: z.literal(true).optional() };

export const OrderImportedEvent = envelope(Subjects.orderImported, z.object({ ...orderRef, order: OrderSchema }));
export const OrderUpdatedEvent = envelope(
  Subjects.orderUpdated,
  z.object({ ...orderRef, order: OrderSchema, changedFields: z.array(z.string()) }),
);
export const OrderStateChangedEvent = envelope(
  Subjects.orderStateChanged,
  z.object({ ...orderRef, ...resend, previousState: OrderStateIdSchema, state: OrderStateIdSchema, order: OrderSchema }),
);
export const OrderShippedEvent = envelope(
  Subjects.orderShipped,
  z.object({ ...orderRef, ...resend, previousState: OrderStateIdSchema, shipments: z.array(ShipmentSchema), order: OrderSchema }),
);
/** `previousState` is part of the fact: OTTO-10 writes a cancellation back only from confirmed or paid. */
export const OrderCancelledEvent = envelope(
  Subjects.orderCancelled,
  z.object({ ...orderRef, ...resend, previousState: OrderStateIdSchema, reason: z.string().optional(), order: OrderSchema }),
);
/** The change (added/removed); the order's tags after it are `order.tags`. `tags` is no longer sent (kept optional for old events). */
export const OrderTagsChangedEvent = envelope(
  Subjects.orderTagsChanged,
  z.object({
    ...orderRef,
    added: z.array(z.string()),
    removed: z.array(z.string()),
    tags: z.array(z.string()).optional(),
    order: OrderSchema,
  }),
);
export const OrderShipmentAddedEvent = envelope(
  Subjects.orderShipmentAdded,
  z.object({ ...orderRef, shipment: ShipmentSchema, order: OrderSchema }),
);
/** A connector's write-back outcome, after the orders service stored it in the order history. */
export const OrderChannelActivityEvent = envelope(
  Subjects.orderChannelActivity,
  z.object({
    ...orderRef,
    action: z.string(),
    outcome: ActivityOutcomeSchema,
    detail: z.string().optional(),
    ruleId: z.string().optional(),
  }),
);

export type OrderImported = z.infer<typeof OrderImportedEvent>;
export type OrderUpdated = z.infer<typeof OrderUpdatedEvent>;
export type OrderStateChanged = z.infer<typeof OrderStateChangedEvent>;
export type OrderShipped = z.infer<typeof OrderShippedEvent>;
export type OrderCancelled = z.infer<typeof OrderCancelledEvent>;
export type OrderTagsChanged = z.infer<typeof OrderTagsChangedEvent>;
export type OrderShipmentAdded = z.infer<typeof OrderShipmentAddedEvent>;
export type OrderChannelActivity = z.infer<typeof OrderChannelActivityEvent>;
