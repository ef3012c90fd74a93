import { randomUUID } from 'node:crypto';
import { berlinIsoExtended } from '@orderhub/sim-kit';
import {
  lifecycleStatus,
  type CancellationReason,
  type FulfillmentStatus,
  type PartnerOrder,
  type PositionItem,
  type ProductVariation,
  type Shipment,
  type StockLevel,
  type StoredOrder,
} from './model';

export interface SellerAccount {
  partnerId: string;
  /** Legacy API user (password grant). */
  username: string;
  password: string;
  /** Self-app credentials (client_credentials grant). */
  clientId: string;
  clientSecret: string;
}

export interface CancellationRecord {
  receivedAt: string;
  partnerId: string;
  /** Which OTTO endpoint was called: the whole order or listed position items. */
  kind: 'order' | 'positionItems';
  salesOrderIds: string[];
  requestedPositionItemIds: string[];
  cancelledPositionItemIds: string[];
}

export interface StockUpdateRecord {
  receivedAt: string;
  partnerId: string;
  items: { sku: string; quantity: number }[];
  acceptedSkus: string[];
  rejectedSkus: string[];
}

/** All simulator state, in memory. `now` is injectable so tests can expire tokens without waiting. */
export class OttoStore {
  readonly sellers = new Map<string, SellerAccount>();
  readonly orders = new Map<string, StoredOrder>();
  readonly products = new Map<string, Map<string, ProductVariation>>();
  readonly stock = new Map<string, Map<string, StockLevel>>();
  readonly shipments = new Map<string, Shipment>();
  readonly cancellations: CancellationRecord[] = [];
  readonly stockUpdates: StockUpdateRecord[] = [];
  private lastTimestamp = 0;

  constructor(readonly now: () => number = Date.now) {}

  /**
   * A strictly increasing ISO timestamp: pollers filter by `fromDate` on lastModifiedDate, so two
   * changes in the same millisecond must still be ordered.
   */
  timestamp(): string {
    this.lastTimestamp = Math.max(this.now(), this.lastTimestamp + 1);
    return new Date(this.lastTimestamp).toISOString();
  }

  addSeller(seller: SellerAccount): SellerAccount {
    this.sellers.set(seller.partnerId, seller);
    if (!this.products.has(seller.partnerId)) this.products.set(seller.partnerId, new Map());
    if (!this.stock.has(seller.partnerId)) this.stock.set(seller.partnerId, new Map());
    return seller;
  }

  /** The one seller when there is exactly one, so admin calls may omit partnerId. */
  resolveSeller(partnerId?: string): SellerAccount | undefined {
    if (partnerId) return this.sellers.get(partnerId);
    return this.sellers.size === 1 ? [...this.sellers.values()][0] : undefined;
  }

  productsOf(partnerId: string): Map<string, ProductVariation> {
    return this.products.get(partnerId) ?? new Map();
  }

  stockOf(partnerId: string): Map<string, StockLevel> {
    return this.stock.get(partnerId) ?? new Map();
  }

  addOrder(stored: StoredOrder): StoredOrder {
    this.orders.set(stored.order.salesOrderId, stored);
    return stored;
  }

  /** By salesOrderId or by orderNumber: OTTO serves both under the same path shape. */
  findOrder(partnerId: string, idOrNumber: string): StoredOrder | undefined {
    const byId = this.orders.get(idOrNumber);
    if (byId) return byId.partnerId === partnerId ? byId : undefined;
    for (const stored of this.orders.values()) {
      if (stored.partnerId === partnerId && stored.order.orderNumber === idOrNumber) return stored;
    }
    return undefined;
  }

  findPositionItem(
    partnerId: string,
    salesOrderId: string,
    positionItemId: string,
  ): { stored: StoredOrder; item: PositionItem } | undefined {
    const stored = this.orders.get(salesOrderId);
    if (!stored || stored.partnerId !== partnerId) return undefined;
    const item = stored.order.positionItems.find((i) => i.positionItemId === positionItemId);
    return item ? { stored, item } : undefined;
  }

  /**
   * Moves one item and keeps the order's dates honest: every change bumps lastModifiedDate (pollers
   * rely on it), a change of the derived order status also bumps lifecycleChangeDate.
   */
  transition(
    stored: StoredOrder,
    item: PositionItem,
    to: FulfillmentStatus,
    extra: { cancellationReason?: CancellationReason; at?: string } = {},
  ): void {
    const before = lifecycleStatus(stored.order);
    const at = extra.at ?? this.timestamp();
    item.fulfillmentStatus = to;
    if (to === 'PROCESSABLE') {
      item.processableDate = at;
      stored.addressReleased = true;
    }
    if (to === 'SENT') item.sentDate = at;
    if (to === 'RETURNED') item.returnedDate = at;
    if (to === 'CANCELLED_BY_PARTNER' || to === 'CANCELLED_BY_MARKETPLACE') {
      item.cancellationDate = at;
      item.cancellationReason =
        extra.cancellationReason ?? (to === 'CANCELLED_BY_PARTNER' ? 'CANCELLED_ON_PARTNER_WISH' : 'CANCELLED_ON_MARKETPLACE_WISH');
    }
    this.touch(stored, before);
  }

  touch(stored: StoredOrder, statusBefore: FulfillmentStatus): void {
    const at = this.timestamp();
    stored.order.lastModifiedDate = at;
    if (lifecycleStatus(stored.order) !== statusBefore) stored.order.orderLifecycleInformation.lifecycleChangeDate = at;
  }

  addShipment(shipment: Omit<Shipment, 'shipmentId'>): Shipment {
    const full = { shipmentId: randomUUID(), ...shipment };
    this.shipments.set(full.shipmentId, full);
    return full;
  }

  findShipmentByTrackingKey(partnerId: string, carrier: string, trackingNumber: string): Shipment | undefined {
    for (const s of this.shipments.values()) {
      if (s.partnerId === partnerId && s.trackingKey.carrier === carrier && s.trackingKey.trackingNumber === trackingNumber) return s;
    }
    return undefined;
  }

  shipmentOfItem(positionItemId: string): Shipment | undefined {
    for (const s of this.shipments.values()) {
      if (s.positionItems.some((p) => p.positionItemId === positionItemId)) return s;
    }
    return undefined;
  }

  /** Forgets orders and everything received; seller accounts survive unless asked. */
  reset(options: { sellers?: boolean } = {}): void {
    this.orders.clear();
    this.shipments.clear();
    this.cancellations.length = 0;
    this.stockUpdates.length = 0;
    for (const stock of this.stock.values()) stock.clear();
    for (const products of this.products.values()) products.clear();
    if (options.sellers) {
      this.sellers.clear();
      this.products.clear();
      this.stock.clear();
    }
  }
}

export function publicOrder(stored: StoredOrder): PartnerOrder {
  const order = structuredClone(stored.order);
  // ANNOUNCED orders (e.g. prepayment not yet paid) carry no customer address at OTTO; it appears
  // once an item turns PROCESSABLE, and an order cancelled while ANNOUNCED never gets one.
  if (stored.addressReleased && lifecycleStatus(order) !== 'ANNOUNCED') {
    order.invoiceAddress = structuredClone(stored.invoiceAddress);
    order.deliveryAddress = structuredClone(stored.deliveryAddress);
  }
  return withDefect(withGermanOffsets(order), stored.defect);
}

function withDefect(order: PartnerOrder, defect: StoredOrder['defect']): PartnerOrder {
  if (defect === 'no-position-items') order.positionItems = [];
  if (defect === 'no-order-date') delete (order as Partial<PartnerOrder>).orderDate;
  if (defect === 'invalid-order-date') order.orderDate = '31.11.2026 25:61';
  return order;
}

const ITEM_DATES = ['expectedDeliveryDate', 'processableDate', 'sentDate', 'returnedDate', 'cancellationDate'] as const;

/** OTTO writes its date-times in German local time with the offset (+01:00 in winter, +02:00 in summer), not in UTC. */
function withGermanOffsets(order: PartnerOrder): PartnerOrder {
  const local = (iso: string) => berlinIsoExtended(new Date(iso));
  order.orderDate = local(order.orderDate);
  order.lastModifiedDate = local(order.lastModifiedDate);
  order.orderLifecycleInformation.lifecycleChangeDate = local(order.orderLifecycleInformation.lifecycleChangeDate);
  for (const item of order.positionItems) {
    for (const field of ITEM_DATES) {
      const value = item[field];
      if (value) item[field] = local(value);
    }
  }
  return order;
}
