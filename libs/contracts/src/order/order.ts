import { z } from 'zod';
import { jsonBytes, OrderLimits } from './limits';
import { orderTotalGross, TOTAL_OVERFLOW_MESSAGE } from './money';
import { ORDER_STATE_IDS, type OrderStateId } from './order-state';

export const Iso8601 = z.iso.datetime({ offset: true });
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. EUR');
/** Any finite amount; what they add up to is checked where they are added (order total). */
export const Money = z.number().finite();

export const OrderStateIdSchema = z
  .number()
  .int()
  .refine((v): v is OrderStateId => (ORDER_STATE_IDS as number[]).includes(v), 'state id 1..17 as in Billbee');

export const AddressSchema = z.object({
  company: z.string().max(200).optional(),
  firstName: z.string().max(200).optional(),
  lastName: z.string().max(200).optional(),
  street: z.string().max(300).optional(),
  houseNumber: z.string().max(50).optional(),
  line2: z.string().max(300).optional(),
  zip: z.string().max(30).optional(),
  city: z.string().max(200).optional(),
  state: z.string().max(100).optional(),
  countryIso2: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  email: z.string().max(320).optional(),
  phone: z.string().max(100).optional(),
  /** The buyer's user name at the channel (Custom Shop `nick_name`, Billbee `Buyer.Nick`); buyer only. */
  nick: z.string().max(200).optional(),
});
export type Address = z.infer<typeof AddressSchema>;

export const OrderPositionSchema = z.object({
  /** The channel's id of this position (OTTO position item id, shop's order item id). */
  externalId: z.string().max(200).optional(),
  /** The channel's product id of this line (Custom Shop `product_id`: what SetStock addresses). */
  productId: z.string().max(200).optional(),
  sku: z.string().max(200).optional(),
  ean: z.string().max(50).optional(),
  title: z.string().max(1000),
  quantity: z.number().positive(),
  unitPrice: Money,
  totalPrice: Money,
  taxRate: z.number().min(0).max(100).optional(),
  /** Set when the position is linked to a hub article (JIM-3: only positions with a SKU are). */
  articleId: z.string().optional(),
  /** Channel-side state of this position, e.g. OTTO fulfillmentStatus. */
  channelStatus: z.string().max(50).optional(),
  dispatchDate: Iso8601.optional(),
  currency: CurrencyCode.optional(),
  isDiscount: z.boolean().optional(),
});
export type OrderPosition = z.infer<typeof OrderPositionSchema>;

export const ShipmentTypeSchema = z.enum(['shipment', 'return']);
export const ShipmentSchema = z.object({
  id: z.string(),
  type: ShipmentTypeSchema,
  carrier: z.string().max(100),
  trackingNumber: z.string().max(200),
  shippingProfile: z.string().max(200).optional(),
  /** Channel position ids this parcel carries (partial shipments). */
  positionExternalIds: z.array(z.string().max(200)).max(OrderLimits.positionIdsPerShipment).optional(),
  createdAt: Iso8601,
  source: z.string().max(100),
});
export type Shipment = z.infer<typeof ShipmentSchema>;

export const PaymentSchema = z.object({
  method: z.string().max(200),
  amount: Money,
  paidAt: Iso8601.optional(),
  reference: z.string().max(200).optional(),
});
export type Payment = z.infer<typeof PaymentSchema>;

/**
 * How a step ended. `waiting`: a write-back the channel cannot take right now (credentials refused,
 * channel down); it is retried with backoff and followed by `ok` once it went out.
 */
export const ActivityOutcomeSchema = z.enum(['ok', 'refused', 'failed', 'waiting']);
export type ActivityOutcome = z.infer<typeof ActivityOutcomeSchema>;

export const HistoryEntrySchema = z.object({
  at: Iso8601,
  /** Who made the change: `api-key:<id>`, `connector:otto`, `system:import`, … */
  actor: z.string(),
  action: z.string(),
  detail: z.string().optional(),
  /** Rule id for refusals (e.g. OTTO-4), so support can look the rule up. */
  ruleId: z.string().optional(),
  outcome: ActivityOutcomeSchema.default('ok'),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

/** Order facts a channel may send that invoices and shipping need (Custom Shop `vat_id`, `shippingprofile_id`, `delivery_source_country_code`). */
const channelOrderExtras = {
  /** The buyer's VAT id, needed for reverse-charge invoices. */
  vatId: z.string().max(50).optional(),
  /** The channel's shipping profile id (Custom Shop `GetShippingProfiles[].Id`). */
  shippingProfileId: z.string().max(200).optional(),
  /** ISO 3166-1 alpha-2 of the country the order ships from. */
  deliverySourceCountryCode: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
};

/** What a connector hands in: the channel's view of an order, already mapped to hub terms. */
export const ChannelOrderSchema = z
  .object({
    externalId: z.string().min(1).max(200),
    orderNumber: z.string().max(200).optional(),
    state: OrderStateIdSchema,
    orderedAt: Iso8601,
    currency: CurrencyCode,
    positions: z.array(OrderPositionSchema).min(1).max(OrderLimits.positionsPerOrder),
    buyer: AddressSchema.optional(),
    invoiceAddress: AddressSchema.optional(),
    shippingAddress: AddressSchema.optional(),
    shippingCost: Money.default(0),
    paymentMethod: z.string().max(200).optional(),
    payments: z.array(PaymentSchema).max(OrderLimits.paymentsPerOrder).default([]),
    payByDate: Iso8601.optional(),
    shipDate: Iso8601.optional(),
    comments: z.array(z.string().max(5000)).max(OrderLimits.commentsPerOrder).default([]),
    ...channelOrderExtras,
    /** Raw channel payload as a JSON string (FerretDB: no nested arrays, no `.`/`$` keys stored). */
    rawPayload: z.string().max(1_000_000).optional(),
  })
  .superRefine((order, ctx) => {
    if (!Number.isFinite(orderTotalGross(order.positions, order.shippingCost))) {
      ctx.addIssue({ code: 'custom', path: ['positions'], message: TOTAL_OVERFLOW_MESSAGE });
    }
    const { rawPayload: _raw, ...content } = order;
    const bytes = jsonBytes(content);
    if (bytes > OrderLimits.channelOrderBytes) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `the order is ${bytes} bytes without its raw payload; at most ${OrderLimits.channelOrderBytes} are accepted`,
      });
    }
  });
export type ChannelOrder = z.infer<typeof ChannelOrderSchema>;

export const OrderSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  connectionId: z.string(),
  channel: z.string(),
  externalId: z.string(),
  orderNumber: z.string().optional(),
  state: OrderStateIdSchema,
  orderedAt: Iso8601,
  currency: CurrencyCode,
  positions: z.array(OrderPositionSchema),
  positionsLocked: z.boolean(),
  buyer: AddressSchema.optional(),
  invoiceAddress: AddressSchema.optional(),
  shippingAddress: AddressSchema.optional(),
  shippingCost: Money,
  paymentMethod: z.string().optional(),
  payments: z.array(PaymentSchema),
  payByDate: Iso8601.optional(),
  shipDate: Iso8601.optional(),
  tags: z.array(z.string()),
  shipments: z.array(ShipmentSchema),
  invoiceNumber: z.string().optional(),
  comments: z.array(z.string()),
  ...channelOrderExtras,
  totalGross: Money,
  version: z.number().int(),
  createdAt: Iso8601,
  updatedAt: Iso8601,
  history: z.array(HistoryEntrySchema).optional(),
});
export type Order = z.infer<typeof OrderSchema>;

/** The payload the channel sent for an order, as stored (a JSON string); `null` when the channel sent none. */
export const OrderRawPayloadSchema = z.object({
  orderId: z.string(),
  channel: z.string(),
  externalId: z.string(),
  rawPayload: z.string().nullable(),
});
export type OrderRawPayload = z.infer<typeof OrderRawPayloadSchema>;
