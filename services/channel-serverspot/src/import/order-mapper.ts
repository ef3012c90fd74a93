import type { Address, ChannelOrder, OrderPosition } from '@orderhub/contracts';
import { UnreadableOrderError } from '@orderhub/connector-kit';
import { parseShopDate } from '../clients/shop-dates';
import type { ShopAddress, ShopOrder, ShopOrderProduct } from '../clients/shop-wire';
import { hubStateFromShop, paymentMethodName } from './shop-enums';

/** SSP-1 settings the mapping depends on. */
export interface MappingSettings {
  priceAdjustmentArticleSku?: string;
  paymentDueDays: number;
}

export class OrderMappingError extends UnreadableOrderError {
  constructor(
    readonly externalId: string,
    reason: string,
  ) {
    super(reason, `order ${externalId}: ${reason}`);
    this.name = 'OrderMappingError';
  }
}

const DAY_MS = 86_400_000;
const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * A shop order in hub terms. Price adjustments (vouchers, surcharges: positions without product id and
 * SKU) become positions of the configured price-adjustment article (SSP-1); discounts in percent reduce
 * the position total; the pay-by date is the order date plus the connection's payment due days (SSP-1).
 * Deterministic: the same shop JSON gives the same ChannelOrder (its hash is the import's event id).
 */
export function mapShopOrder(order: ShopOrder, settings: MappingSettings): ChannelOrder {
  const orderedAt = parseShopDate(order.order_date) ?? parseShopDate(order.pay_date) ?? parseShopDate(order.ship_date);
  if (!orderedAt) throw new OrderMappingError(order.order_id, 'no order date');
  const positions = order.order_products
    .map((p, index) => mapPosition(p, index, settings))
    .filter((p): p is OrderPosition => p !== undefined);
  if (positions.length === 0) throw new OrderMappingError(order.order_id, 'no positions');
  const shippingCost = round2(order.ship_cost ?? 0);
  const total = round2(positions.reduce((sum, p) => sum + p.totalPrice, 0) + shippingCost);
  // Each number is finite in JSON, but quantity × price can overflow; an infinite position makes the total so.
  if (!Number.isFinite(total)) throw new OrderMappingError(order.order_id, 'an amount is out of range');
  const paidAt = parseShopDate(order.pay_date);
  const paymentMethod = paymentMethodName(order.payment_method);
  const invoiceAddress = mapAddress(order.invoice_address, order);
  const shippingAddress = mapAddress(order.delivery_address, order) ?? invoiceAddress;
  const currency = order.currency_code?.toUpperCase();
  const sourceCountry = order.delivery_source_country_code?.trim().toUpperCase();
  return {
    externalId: order.order_id,
    orderNumber: order.order_number,
    state: hubStateFromShop(order.order_status_id),
    orderedAt,
    currency: currency && /^[A-Z]{3}$/.test(currency) ? currency : 'EUR',
    positions,
    buyer: buyerOf(order, invoiceAddress),
    invoiceAddress,
    shippingAddress,
    shippingCost,
    paymentMethod,
    payments: paidAt ? [{ method: paymentMethod ?? 'Unknown', amount: total, paidAt, reference: order.payment_transaction_id }] : [],
    payByDate: new Date(Date.parse(orderedAt) + settings.paymentDueDays * DAY_MS).toISOString(),
    shipDate: parseShopDate(order.ship_date),
    comments: comments(order),
    ...dropUndefined({
      vatId: order.vat_id?.trim().slice(0, 50) || undefined,
      shippingProfileId: order.shippingprofile_id?.slice(0, 200),
      deliverySourceCountryCode: sourceCountry && /^[A-Z]{2}$/.test(sourceCountry) ? sourceCountry : undefined,
    }),
    rawPayload: JSON.stringify(order.raw).slice(0, 1_000_000),
  };
}

/** The invoice address with the shop's user name; without an address the e-mail and phone alone. */
function buyerOf(order: ShopOrder, invoiceAddress: Address | undefined): Address | undefined {
  const nick = order.nick_name?.trim().slice(0, 200) || undefined;
  const base = invoiceAddress ?? (order.email ? { email: order.email, phone: order.phone1 } : undefined);
  if (!base) return nick ? { nick } : undefined;
  return nick ? { ...base, nick } : base;
}

/** A voucher or surcharge: a line that names no product of the shop. */
export function isPriceAdjustment(p: ShopOrderProduct): boolean {
  return !p.product_id && !p.sku;
}

function mapPosition(p: ShopOrderProduct, index: number, settings: MappingSettings): OrderPosition | undefined {
  let quantity = p.quantity ?? 1;
  let unitPrice = p.unit_price ?? 0;
  if (quantity === 0) return undefined;
  if (quantity < 0) {
    // A negative quantity at a positive price is a credit: keep the amount, flip the sign to the price.
    quantity = -quantity;
    unitPrice = -unitPrice;
  }
  const discount = p.discount_percent && p.discount_percent > 0 ? Math.min(p.discount_percent, 100) : 0;
  const totalPrice = round2(unitPrice * quantity * (1 - discount / 100));
  const adjustment = isPriceAdjustment(p);
  const options = (p.options ?? []).filter((o) => o.name && o.value).map((o) => `${o.name}: ${o.value}`);
  const baseTitle = p.name ?? p.sku ?? (adjustment ? 'Price adjustment' : `Position ${index + 1}`);
  const title = (options.length ? `${baseTitle} (${options.join(', ')})` : baseTitle).slice(0, 1000);
  const position: OrderPosition = {
    externalId: String(index + 1),
    ...(p.product_id ? { productId: p.product_id.slice(0, 200) } : {}),
    ...(p.ean?.trim() ? { ean: p.ean.trim().slice(0, 50) } : {}),
    title,
    quantity,
    unitPrice: round2(unitPrice),
    totalPrice,
    taxRate: p.tax_rate !== undefined && p.tax_rate >= 0 && p.tax_rate <= 100 ? p.tax_rate : undefined,
  };
  if (adjustment) {
    if (settings.priceAdjustmentArticleSku) position.sku = settings.priceAdjustmentArticleSku;
    position.isDiscount = totalPrice < 0;
  } else if (p.sku) {
    position.sku = p.sku.slice(0, 200);
  }
  if (discount > 0 && !adjustment) position.channelStatus = `discount ${discount}%`;
  return position;
}

function mapAddress(a: ShopAddress | undefined, order: ShopOrder): Address | undefined {
  if (!a) return undefined;
  const country = a.country_code?.toUpperCase();
  return dropUndefined({
    company: a.company,
    firstName: a.firstname,
    lastName: a.lastname,
    street: a.street,
    houseNumber: a.housenumber,
    line2: a.address2,
    zip: a.postcode,
    city: a.city,
    state: a.state,
    countryIso2: country && /^[A-Z]{2}$/.test(country) ? country : undefined,
    email: order.email,
    phone: order.phone1,
  });
}

function comments(order: ShopOrder): string[] {
  const out = order.order_history
    .filter((h) => h.comment)
    .map((h) => {
      const who = h.from_customer ? `Customer${h.name ? ` (${h.name})` : ''}` : (h.name ?? 'Shop');
      return `${who}: ${h.comment}`.slice(0, 5000);
    });
  if (order.seller_comment) out.push(`Seller note: ${order.seller_comment}`.slice(0, 5000));
  return out;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
