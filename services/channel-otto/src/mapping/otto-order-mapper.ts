import { type Address, type ChannelOrder, ChannelOrderSchema, type OrderPosition } from '@orderhub/contracts';
import { UnreadableOrderError } from '@orderhub/connector-kit';
import { ZodError } from 'zod';
import type { OttoAddress, OttoFee, OttoOrder, OttoPositionItem } from '../clients/otto-types';
import { alpha2 } from './country-codes';
import { HUB_STATE_BY_OTTO_STATUS, isCancelledStatus, smallestStatus } from './otto-status';

/** OTTO-7: OTTO never tells the payment method to partners; OTTO collects the money itself. */
export const OTTO_PAYMENT_METHOD = 'OTTO Payments';

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * OTTO order → hub channel order. Deterministic (same OTTO payload, same result), because the import
 * event id is derived from the content: re-reading an order that did not change sends nothing new.
 *
 * Positions: OTTO's unit is the position item = one piece, each with its own id and status (no
 * quantity field). We keep **one hub position per position item** (quantity 1, externalId =
 * positionItemId, channelStatus = its fulfillmentStatus) instead of grouping by SKU/price: shipping
 * and cancelling at OTTO work per piece id, pieces of one SKU can be in different states, and a grouped
 * externalId (a list of UUIDs) would overflow the 200-character limit. Cancelled pieces are left out
 * while at least one piece is live (they are neither delivered nor charged); an all-cancelled order
 * keeps them so it still has positions. Checkout discounts become discount positions (negative price).
 *
 * An order it cannot read (no position items, no order date, a shape OTTO's types do not allow) is
 * an `UnreadableOrderError` with the reason: the import parks it for the merchant to see and retry.
 */
export class OttoOrderMapper {
  map(order: OttoOrder): ChannelOrder {
    try {
      return this.read(order);
    } catch (err) {
      if (err instanceof UnreadableOrderError) throw err;
      // the id may itself be malformed (an object whose toString is not a function would throw here)
      const id = order?.salesOrderId;
      const named = typeof id === 'string' || typeof id === 'number' ? id : '(no readable id)';
      throw new UnreadableOrderError(reasonOf(err), `OTTO order ${named}: ${reasonOf(err)}`);
    }
  }

  private read(order: OttoOrder): ChannelOrder {
    const all = order.positionItems;
    if (!Array.isArray(all) || all.length === 0) throw new UnreadableOrderError('no position items');
    if (!order.orderDate) throw new UnreadableOrderError('no order date');
    if (!Number.isFinite(Date.parse(order.orderDate)))
      throw new UnreadableOrderError(`order date "${String(order.orderDate).slice(0, 50)}" is not a date`);
    const live = all.filter((i) => !isCancelledStatus(i.fulfillmentStatus));
    const pieces = live.length > 0 ? live : all;
    const pieceIds = new Set(pieces.map((p) => p.positionItemId));
    const currency = mostFrequentCurrency(pieces);

    const positions: OrderPosition[] = pieces.map((item) => this.position(item));
    for (const discount of order.initialDiscounts ?? []) {
      const applies = !discount.positionItemIds?.length || discount.positionItemIds.some((id) => pieceIds.has(id));
      if (!applies || !discount.discountAmount) continue;
      const amount = -Math.abs(discount.discountAmount.amount);
      positions.push({
        externalId: discount.discountId,
        title: (discount.discountName ?? discount.name ?? 'Rabatt').slice(0, 1000),
        quantity: 1,
        unitPrice: amount,
        totalPrice: amount,
        taxRate: discount.vatRate,
        currency: discount.discountAmount.currency,
        isDiscount: true,
      });
    }

    const invoice = this.address(order.invoiceAddress);
    const delivery = this.address(order.deliveryAddress);
    const channelOrder: ChannelOrder = {
      externalId: order.salesOrderId,
      orderNumber: order.orderNumber,
      state: HUB_STATE_BY_OTTO_STATUS[smallestStatus(all)],
      orderedAt: new Date(order.orderDate).toISOString(),
      currency,
      positions,
      // ANNOUNCED orders carry no address yet; the re-import once they are PROCESSABLE adds it.
      buyer: invoice,
      invoiceAddress: invoice,
      shippingAddress: delivery,
      shippingCost: shippingCost(order),
      paymentMethod: OTTO_PAYMENT_METHOD,
      payments: [],
      shipDate: shipDate(pieces),
      comments: [],
      rawPayload: JSON.stringify(order),
    };
    return ChannelOrderSchema.parse(channelOrder);
  }

  private position(item: OttoPositionItem): OrderPosition {
    const price = item.itemValueGrossPrice;
    return {
      externalId: item.positionItemId,
      sku: item.product.sku?.slice(0, 200),
      ean: item.product.ean?.slice(0, 50),
      title: (item.product.productTitle || item.product.sku || 'OTTO Artikel').slice(0, 1000),
      quantity: 1,
      unitPrice: price.amount,
      totalPrice: price.amount,
      taxRate: item.product.vatRate,
      channelStatus: item.fulfillmentStatus,
      dispatchDate: item.expectedDeliveryDate ? new Date(item.expectedDeliveryDate).toISOString() : undefined,
      currency: price.currency,
    };
  }

  private address(a: OttoAddress | undefined): Address | undefined {
    if (!a) return undefined;
    const clip = (v: string | undefined, max: number) => (v ? v.slice(0, max) : undefined);
    return {
      company: a.salutation === 'COMPANY' ? clip([a.firstName, a.lastName].filter(Boolean).join(' '), 200) : undefined,
      firstName: clip(a.firstName, 200),
      lastName: clip(a.lastName, 200),
      street: clip(a.street, 300),
      houseNumber: clip(a.houseNumber, 50),
      line2: clip(a.addition, 300),
      zip: clip(a.zipCode, 30),
      city: clip(a.city, 200),
      countryIso2: alpha2(a.countryCode),
      email: clip(a.email, 320),
      phone: clip(a.phoneNumber, 100),
    };
  }
}

/** What the merchant reads as the reason: the fields that failed, not a stack. */
function reasonOf(err: unknown): string {
  if (err instanceof ZodError) {
    const issues = err.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(order)'}: ${i.message}`);
    return `not a valid order: ${issues.join('; ')}`;
  }
  return `cannot be read: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500);
}

/** OTTO-11: the currency most pieces are priced in; a tie goes to the one that appears first. */
export function mostFrequentCurrency(items: readonly Pick<OttoPositionItem, 'itemValueGrossPrice'>[]): string {
  const counts = new Map<string, number>();
  for (const item of items) {
    const c = item.itemValueGrossPrice.currency;
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best = 'EUR';
  let bestCount = 0;
  for (const [currency, count] of counts) {
    if (count > bestCount) {
      best = currency;
      bestCount = count;
    }
  }
  return best;
}

/**
 * OTTO-5: OTTO's "initial service fees" (Billbee's name; Orders V4 calls them `initialDeliveryFees`)
 * are the order's shipping costs. Both shapes are summed.
 */
export function shippingCost(order: Pick<OttoOrder, 'initialDeliveryFees' | 'initialServiceFees'>): number {
  const feeAmount = (f: OttoFee) => f.deliveryFeeAmount?.amount ?? f.amount ?? 0;
  const fees = [...(order.initialDeliveryFees ?? []), ...(order.initialServiceFees ?? [])];
  return round2(fees.reduce((sum, f) => sum + feeAmount(f), 0));
}

/**
 * OTTO-6: pieces may carry different dispatch dates (OTTO: `expectedDeliveryDate` per item); the
 * order's ship date is the midpoint between the earliest and the latest.
 */
export function shipDate(items: readonly Pick<OttoPositionItem, 'expectedDeliveryDate'>[]): string | undefined {
  const times = items.map((i) => (i.expectedDeliveryDate ? Date.parse(i.expectedDeliveryDate) : NaN)).filter((t) => Number.isFinite(t));
  if (times.length === 0) return undefined;
  const earliest = Math.min(...times);
  const latest = Math.max(...times);
  return new Date(earliest + Math.round((latest - earliest) / 2)).toISOString();
}
