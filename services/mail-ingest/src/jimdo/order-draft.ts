import { type Address, type ChannelOrder, ChannelOrderSchema, OrderState } from '@orderhub/contracts';

/** A Jimdo order as read from a mail or an export file, before it becomes a ChannelOrder. */
export interface JimdoOrderDraft {
  orderNumber: string;
  orderedAt: string;
  currency: string;
  positions: {
    sku?: string;
    title: string;
    quantity: number;
    unitPrice: number;
    totalPrice: number;
    taxRate?: number;
  }[];
  invoiceAddress?: Address;
  shippingAddress?: Address;
  buyerEmail?: string;
  buyerPhone?: string;
  shippingCost: number;
  shippingMethod?: string;
  paymentMethod?: string;
  comment?: string;
  total?: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Maps to the hub's channel order. Positions without SKU keep no `sku` (JIM-3: the orders service
 * links only SKU positions to articles). Throws a ZodError when the result is not a valid order.
 */
export function toChannelOrder(draft: JimdoOrderDraft, rawPayload?: string): ChannelOrder {
  const buyerBase = draft.invoiceAddress ?? draft.shippingAddress;
  const buyer: Address | undefined =
    buyerBase || draft.buyerEmail
      ? {
          ...(buyerBase?.firstName ? { firstName: buyerBase.firstName } : {}),
          ...(buyerBase?.lastName ? { lastName: buyerBase.lastName } : {}),
          ...(buyerBase?.company ? { company: buyerBase.company } : {}),
          ...(draft.buyerEmail ? { email: draft.buyerEmail } : {}),
          ...(draft.buyerPhone ? { phone: draft.buyerPhone } : {}),
        }
      : undefined;
  const withContact = (a: Address | undefined): Address | undefined =>
    a ? { ...a, ...(draft.buyerEmail && !a.email ? { email: draft.buyerEmail } : {}) } : undefined;
  return ChannelOrderSchema.parse({
    externalId: draft.orderNumber,
    orderNumber: draft.orderNumber,
    state: OrderState.Ordered,
    orderedAt: draft.orderedAt,
    currency: draft.currency,
    positions: draft.positions.map((p) => ({
      ...(p.sku ? { sku: p.sku } : {}),
      title: p.title.slice(0, 1000),
      quantity: p.quantity,
      unitPrice: round2(p.unitPrice),
      totalPrice: round2(p.totalPrice),
      ...(p.taxRate !== undefined ? { taxRate: p.taxRate } : {}),
      currency: draft.currency,
    })),
    ...(buyer ? { buyer } : {}),
    ...(draft.invoiceAddress ? { invoiceAddress: withContact(draft.invoiceAddress) } : {}),
    ...(draft.shippingAddress ? { shippingAddress: draft.shippingAddress } : {}),
    shippingCost: round2(draft.shippingCost),
    ...(draft.paymentMethod ? { paymentMethod: draft.paymentMethod } : {}),
    comments: draft.comment ? [draft.comment] : [],
    ...(rawPayload ? { rawPayload } : {}),
  });
}
