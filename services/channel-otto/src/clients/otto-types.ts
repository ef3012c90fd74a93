/** The parts of OTTO Market's resources the connector reads (Orders V4, Shipments V1, Availability V1, Products V5). */

export const OTTO_FULFILLMENT_STATUSES = [
  'ANNOUNCED',
  'PROCESSABLE',
  'SENT',
  'RETURNED',
  'CANCELLED_BY_PARTNER',
  'CANCELLED_BY_MARKETPLACE',
] as const;
export type OttoFulfillmentStatus = (typeof OTTO_FULFILLMENT_STATUSES)[number];

export interface OttoAmount {
  amount: number;
  currency: string;
}

export interface OttoLink {
  rel: string;
  href: string;
}

export interface OttoAddress {
  salutation?: string;
  title?: string;
  firstName?: string;
  lastName?: string;
  street?: string;
  houseNumber?: string;
  addition?: string;
  zipCode?: string;
  city?: string;
  countryCode?: string;
  phoneNumber?: string;
  email?: string;
}

export interface OttoPositionItem {
  positionItemId: string;
  fulfillmentStatus: OttoFulfillmentStatus;
  itemValueGrossPrice: OttoAmount;
  itemValueReducedGrossPrice?: OttoAmount;
  itemValueDiscount?: OttoAmount;
  product: { sku: string; articleNumber?: string; productTitle?: string; ean?: string; vatRate?: number };
  expectedDeliveryDate?: string;
  processableDate?: string;
  sentDate?: string;
  cancellationDate?: string;
  cancellationReason?: string;
}

export interface OttoFee {
  name?: string;
  deliveryFeeAmount?: OttoAmount;
  /** Older/Billbee wording ("initial service fees"): `{name, amount, currency}`. */
  amount?: number;
  currency?: string;
  positionItemIds?: string[];
  vatRate?: number;
}

export interface OttoDiscount {
  discountId: string;
  discountName?: string;
  name?: string;
  discountAmount: OttoAmount;
  positionItemIds?: string[];
  vatRate?: number;
}

export interface OttoOrder {
  salesOrderId: string;
  orderNumber?: string;
  orderDate: string;
  lastModifiedDate?: string;
  orderLifecycleInformation?: { lifecycleChangeDate?: string };
  positionItems: OttoPositionItem[];
  initialDeliveryFees?: OttoFee[];
  initialServiceFees?: OttoFee[];
  initialDiscounts?: OttoDiscount[];
  invoiceAddress?: OttoAddress;
  deliveryAddress?: OttoAddress;
  payment?: { paymentMethod?: string };
  links?: OttoLink[];
}

export interface OttoOrderPage {
  resources: OttoOrder[];
  links?: OttoLink[];
}

export interface OttoShipmentRequest {
  trackingKey: { carrier: string; trackingNumber: string };
  shipDate: string;
  shipFromAddress: { city: string; countryCode: string; zipCode: string };
  positionItems: { positionItemId: string; salesOrderId: string; returnTrackingKey: { carrier: string; trackingNumber: string } }[];
}

export interface OttoShipment {
  shipmentId: string;
  trackingKey: { carrier: string; trackingNumber?: string };
  positionItems?: { positionItemId: string; salesOrderId: string }[];
}

export interface OttoProductVariation {
  productReference?: string;
  sku: string;
  ean?: string;
  productDescription?: { category?: string; productLine?: string; brandId?: string };
  pricing?: { standardPrice?: OttoAmount };
}

export interface OttoQuantityResult {
  status: number;
  results: { sku: string; quantity: number }[];
  errors: { code?: number; title?: string; detail?: string; path?: string }[];
}

/** The `nextcursor` of a `links[rel=next]` href (`/v4/orders?nextcursor=…`), or undefined on the last page. */
export function nextCursorOf(links: OttoLink[] | undefined, param = 'nextcursor'): string | undefined {
  const next = links?.find((l) => l.rel === 'next');
  if (!next) return undefined;
  return new URL(next.href, 'http://otto.invalid').searchParams.get(param) ?? undefined;
}
