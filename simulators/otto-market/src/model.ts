/** OTTO Market resource shapes (Orders V4, Shipments V1, Availability V1, Products V5), with OTTO's field names. */

/** Declaration order is OTTO's "smallest status" order: an order's lifecycle status is its items' minimum. */
export const FULFILLMENT_STATUSES = [
  'ANNOUNCED',
  'PROCESSABLE',
  'SENT',
  'RETURNED',
  'CANCELLED_BY_PARTNER',
  'CANCELLED_BY_MARKETPLACE',
] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

export const CANCELLATION_REASONS = [
  'CANCELLED_ON_CUSTOMER_WISH',
  'CANCELLED_ON_PARTNER_WISH',
  'PAYMENT_ABORTED',
  'PAYMENT_FRAUD',
  'PARTNER_TERMINATED',
  'ILLEGAL_PRODUCT',
  'MARKETPLACE_FRAUD',
  'CANCELLED_ON_MARKETPLACE_WISH',
] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];

export interface Amount {
  amount: number;
  currency: string;
}

export interface Link {
  rel: string;
  href: string;
}

export interface Address {
  salutation: 'MR' | 'MS' | 'COMPANY' | 'UNKNOWN';
  title?: string;
  firstName: string;
  lastName: string;
  street: string;
  houseNumber: string;
  addition?: string;
  zipCode: string;
  city: string;
  /** ISO-3166-1 alpha-3 (DEU), not alpha-2. */
  countryCode: string;
  phoneNumber?: string;
  email?: string;
}

export interface OrderProduct {
  sku: string;
  articleNumber: string;
  productTitle: string;
  ean?: string;
  vatRate: number;
  shopUrl?: string;
  dimensions: { type: string; displayName: string; value: string }[];
}

export interface TrackingInfo {
  carrier: string;
  carrierServiceCode?: string;
  trackingNumber?: string;
}

/** One physical piece: OTTO has no quantity field, two pieces of a SKU are two position items. */
export interface PositionItem {
  positionItemId: string;
  fulfillmentStatus: FulfillmentStatus;
  itemValueGrossPrice: Amount;
  itemValueReducedGrossPrice?: Amount;
  itemValueDiscount?: Amount;
  product: OrderProduct;
  expectedDeliveryDate?: string;
  processableDate?: string;
  sentDate?: string;
  returnedDate?: string;
  cancellationDate?: string;
  cancellationReason?: CancellationReason;
  trackingInfo?: TrackingInfo;
}

export interface InitialDeliveryFee {
  name: string;
  deliveryFeeAmount: Amount;
  positionItemIds: string[];
  vatRate: number;
}

export interface InitialDiscount {
  discountId: string;
  discountName: string;
  name: string;
  discountAmount: Amount;
  positionItemIds: string[];
  vatRate: number;
}

/** PartnerOrderOrdersV4 as OTTO returns it. */
export interface PartnerOrder {
  salesOrderId: string;
  orderNumber: string;
  orderDate: string;
  lastModifiedDate: string;
  orderLifecycleInformation: { lifecycleChangeDate: string };
  positionItems: PositionItem[];
  initialDeliveryFees: InitialDeliveryFee[];
  initialDiscounts: InitialDiscount[];
  invoiceAddress?: Address;
  deliveryAddress?: Address;
  payment: { paymentMethod: string };
  suspectedFraudCase?: boolean;
  links: Link[];
}

/** What the simulator keeps per order: addresses are always known, but shown only once nothing is ANNOUNCED. */
export interface StoredOrder {
  partnerId: string;
  order: PartnerOrder;
  invoiceAddress: Address;
  deliveryAddress: Address;
  /** False while the order was only ever ANNOUNCED; turns true with the first PROCESSABLE item. */
  addressReleased: boolean;
  /** Served with this defect (set through the admin API): what a partner's mapper must survive. */
  defect?: OrderDefect;
}

/**
 * Ways the marketplace serves an order a partner cannot read: without its position items, or without a
 * usable order date. Only the served order is broken; the marketplace keeps its own state.
 */
export const ORDER_DEFECTS = ['no-position-items', 'no-order-date', 'invalid-order-date'] as const;
export type OrderDefect = (typeof ORDER_DEFECTS)[number];

export interface TrackingKey {
  carrier: string;
  trackingNumber?: string;
}

export interface ShipmentPositionItem {
  positionItemId: string;
  salesOrderId: string;
  returnTrackingKey?: TrackingKey;
  returnAddressCarrierId?: string;
}

export interface Shipment {
  partnerId: string;
  shipmentId: string;
  creationDate: string;
  shipDate: string;
  trackingKey: TrackingKey;
  shipFromAddress: { city: string; countryCode: string; zipCode: string };
  positionItems: ShipmentPositionItem[];
  states: { state: string; occurredOn: string }[];
}

/** A product variation (Products V5, reduced to what connectors read) plus its stock. */
export interface ProductVariation {
  productReference: string;
  sku: string;
  ean: string;
  moin: string;
  productDescription: {
    category: string;
    brandId: string;
    productLine?: string;
    description?: string;
    bulletPoints: string[];
    attributes: { name: string; values: string[]; additional?: boolean }[];
  };
  mediaAssets: { type: 'IMAGE'; location: string }[];
  pricing: { standardPrice: Amount; vat: 'FULL' | 'REDUCED' | 'FREE' };
  marketPlaceStatus: 'PENDING' | 'ONLINE' | 'RESTRICTED' | 'REJECTED' | 'INACTIVE';
  lastModified: string;
}

export interface StockLevel {
  sku: string;
  quantity: number;
  lastModified: string;
}

export function statusRank(status: FulfillmentStatus): number {
  return FULFILLMENT_STATUSES.indexOf(status);
}

/** OTTO's order status: the "smallest" item status in FULFILLMENT_STATUSES order. */
export function lifecycleStatus(order: PartnerOrder): FulfillmentStatus {
  let lowest: FulfillmentStatus = 'CANCELLED_BY_MARKETPLACE';
  for (const item of order.positionItems) {
    if (statusRank(item.fulfillmentStatus) < statusRank(lowest)) lowest = item.fulfillmentStatus;
  }
  return lowest;
}
