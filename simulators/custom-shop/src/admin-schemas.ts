import { z } from 'zod';
import { parseStartDate } from './dates';
import type { Order } from './model';

const date = z.string().transform((value, ctx) => {
  const parsed = parseStartDate(value);
  if (!parsed) ctx.addIssue({ code: 'custom', message: `not a date: ${value}` });
  return parsed ?? new Date(0);
});
const text = z.string().nullable();

const AddressSchema = z
  .object({
    firstname: text,
    lastname: text,
    street: text,
    housenumber: text,
    address2: text,
    postcode: text,
    city: text,
    country_code: text,
    company: text,
    state: text,
  })
  .partial()
  .strict();

const OrderProductSchema = z
  .object({
    discount_percent: z.number().nullable().default(null),
    quantity: z.number(),
    unit_price: z.number(),
    product_id: text.default(null),
    name: z.string(),
    sku: text.default(null),
    /** Sent by some shop systems on the line (not by Billbee's reference SDK); only when given. */
    ean: z.string().optional(),
    tax_rate: z.number().nullable().default(null),
    options: z
      .array(z.object({ name: z.string(), value: z.string() }))
      .nullable()
      .default(null),
  })
  .strict();

const CommentSchema = z
  .object({
    comment: z.string().min(1),
    name: text.default(null),
    from_customer: z.boolean().default(false),
    date_added: date.optional(),
  })
  .strict();

/**
 * A change made "in the shop" (admin only), in the API's own field names. Scalars replace, addresses
 * merge, `order_products` replaces the positions, `add_comment` appends to `order_history`.
 */
export const OrderPatchSchema = z
  .object({
    order_number: text,
    currency_code: text,
    delivery_source_country_code: text,
    nick_name: text,
    ship_cost: z.number().nullable(),
    invoice_address: AddressSchema,
    delivery_address: AddressSchema,
    order_date: date,
    email: text,
    phone1: text,
    pay_date: date.nullable(),
    ship_date: date.nullable(),
    payment_method: z.number().int().nullable(),
    order_status_id: z.number().int().nullable(),
    order_products: z.array(OrderProductSchema),
    seller_comment: text,
    shippingprofile_id: text,
    vat_id: text,
    payment_transaction_id: text,
    add_comment: CommentSchema,
  })
  .partial()
  .strict();
export type OrderPatch = z.infer<typeof OrderPatchSchema>;

/** A new order: generated, then overridden by whatever the body gives (including `order_id`). */
export const NewOrderSchema = OrderPatchSchema.extend({ order_id: z.string().min(1).optional() });

export function applyOrderPatch(order: Order, patch: OrderPatch, now: Date): void {
  const { invoice_address, delivery_address, add_comment, ...scalars } = patch;
  Object.assign(order, scalars);
  if (invoice_address) order.invoice_address = { ...emptyAddress(), ...order.invoice_address, ...invoice_address };
  if (delivery_address) order.delivery_address = { ...emptyAddress(), ...order.delivery_address, ...delivery_address };
  if (add_comment) {
    order.order_history.push({
      date_added: add_comment.date_added ?? now,
      name: add_comment.name,
      comment: add_comment.comment,
      from_customer: add_comment.from_customer,
    });
  }
}

function emptyAddress() {
  return {
    firstname: null,
    lastname: null,
    street: null,
    housenumber: null,
    address2: null,
    postcode: null,
    city: null,
    country_code: null,
    company: null,
    state: null,
  };
}

export const CountSchema = z.object({ count: z.number().int().min(1).max(10_000) }).strict();
export const FeedSchema = z
  .object({ intervalMs: z.number().int().min(10).max(3_600_000), ordersPerTick: z.number().int().min(1).max(100).default(1) })
  .strict();
export const StockPatchSchema = z.object({ quantity: z.number() }).strict();
