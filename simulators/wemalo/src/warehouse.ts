import { seededRandom } from '@orderhub/sim-kit';
import { GoodsOrderBook, type GoodsOrder, type GoodsOrderStatus, type Parcel } from './goods-orders';
import { ProductCatalog } from './product-catalog';
import { SentPackageLedger } from './sent-packages';
import { WebhookDispatcher, type WebhookPolicy } from './webhooks';
import { invalid } from './wemalo-errors';

/** What the warehouse puts into one parcel when the admin API ships an order. */
export interface ParcelSpec {
  trackingNumber?: string;
  carrier?: string;
  profileName?: string;
  dispatcherProduct?: string;
  /** Adds a return label with its own tracking number (generated unless given). */
  returnLabel?: boolean;
  returnTrackingNumber?: string;
  weightTotal?: number;
  /** Which positions go into this parcel; by default positions are spread over the parcels. */
  items?: { externalId?: string; sku?: string; quantity?: number }[];
}

export interface Cancellation {
  externalId: string;
  reason: string;
  at: Date;
  accepted: boolean;
  refusedBecause?: string;
}

/** The simulated wemalo account: product master, goods orders, sent bookings and webhooks together. */
export class WemaloWarehouse {
  readonly catalog: ProductCatalog;
  readonly orders: GoodsOrderBook;
  readonly ledger: SentPackageLedger;
  readonly webhooks: WebhookDispatcher;
  readonly cancellations: Cancellation[] = [];
  /** Every goods-order body received, including replacements (WEM-5 re-sends). */
  readonly receivedOrders: { externalId: string; replaced: boolean; at: Date }[] = [];
  private autoShipSeconds: number | undefined;
  private readonly autoTimers = new Set<NodeJS.Timeout>();
  private random: () => number;

  constructor(
    private readonly now: () => Date,
    webhookPolicy: WebhookPolicy,
    autoShipSeconds: number | undefined,
    private readonly seed: number,
  ) {
    this.catalog = new ProductCatalog(now);
    this.orders = new GoodsOrderBook(this.catalog, now);
    this.ledger = new SentPackageLedger(now);
    this.webhooks = new WebhookDispatcher(webhookPolicy, now);
    this.autoShipSeconds = autoShipSeconds;
    this.random = seededRandom(seed);
  }

  get autoFulfilSeconds(): number | undefined {
    return this.autoShipSeconds;
  }

  setAutoFulfil(seconds: number | undefined): void {
    this.autoShipSeconds = seconds;
    if (seconds === undefined) this.stopAutoFulfil();
  }

  receiveOrder(body: Record<string, unknown>, shop: string): GoodsOrder {
    const { order, replaced } = this.orders.add(body, shop);
    this.receivedOrders.push({ externalId: order.externalId, replaced, at: this.now() });
    if (this.autoShipSeconds !== undefined) this.scheduleAutoFulfil(order.externalId, this.autoShipSeconds);
    return order;
  }

  cancel(externalId: string, reason: string): GoodsOrder {
    try {
      const before = this.orders.get(externalId).status;
      const order = this.orders.cancel(externalId, reason);
      this.cancellations.push({ externalId, reason, at: this.now(), accepted: true });
      if (before !== 'CANCELLED') this.statusChanged(order);
      return order;
    } catch (err) {
      this.cancellations.push({ externalId, reason, at: this.now(), accepted: false, refusedBecause: String((err as Error).message) });
      throw err;
    }
  }

  /** Warehouse work: move the order to `to`; shipping needs parcels (one DHL parcel by default). */
  advance(externalId: string, to: GoodsOrderStatus, parcels?: ParcelSpec[]): GoodsOrder {
    const order = this.orders.get(externalId);
    if (parcels !== undefined && to !== 'SHIPPED') throw invalid('parcels', 'parcels are only taken when shipping');
    if (to === 'SHIPPED' && parcels !== undefined && parcels.length === 0) throw invalid('parcels', 'at least one parcel');
    const passed = this.orders.advance(externalId, to);
    for (const status of passed) {
      if (status === 'SHIPPED') this.ship(order, parcels ?? [{}]);
      this.statusChanged(order, status);
    }
    return order;
  }

  reset(): void {
    this.stopAutoFulfil();
    this.catalog.clear();
    this.orders.clear();
    this.ledger.clear();
    this.webhooks.clear();
    this.cancellations.length = 0;
    this.receivedOrders.length = 0;
    this.random = seededRandom(this.seed);
  }

  stop(): void {
    this.stopAutoFulfil();
    this.webhooks.stop();
  }

  private ship(order: GoodsOrder, specs: ParcelSpec[]): void {
    const contents = this.spreadPositions(order, specs);
    specs.forEach((spec, index) => {
      const carrier = spec.carrier ?? 'DHL';
      const parcel = this.orders.addParcel(order, {
        trackingNumber: spec.trackingNumber ?? this.trackingNumber(carrier),
        carrier,
        profileName: spec.profileName ?? (carrier === 'DHL' ? 'DHL Paket National' : `${carrier} Standard`),
        dispatcherProduct: spec.dispatcherProduct ?? (carrier === 'DHL' ? 'DHL Paket' : carrier),
        ...(spec.returnLabel || spec.returnTrackingNumber
          ? { returnTrackingNumber: spec.returnTrackingNumber ?? this.trackingNumber(carrier) }
          : {}),
        weightTotal: spec.weightTotal ?? 500 + Math.floor(this.random() * 2500),
        isHandedOver: true,
        handoverDate: this.now(),
        items: contents[index] ?? [],
      });
      this.ledger.book(order, parcel);
      this.webhooks.emit('trackingnumber_added', {
        goodsOrderId: order.id,
        goodsOrderParcelId: parcel.id,
        goodsOrderExternalId: order.externalId,
      });
    });
  }

  private spreadPositions(order: GoodsOrder, specs: ParcelSpec[]): Parcel['items'][] {
    const nameOf = (externalId: string) => this.catalog.find(externalId)?.name ?? '';
    if (specs.some((s) => s.items)) {
      return specs.map((spec) =>
        (spec.items ?? []).map((item) => {
          const position = order.positions.find((p) => p.externalId === item.externalId || p.sku === item.sku);
          if (!position) throw invalid('items', `position ${item.externalId ?? item.sku} is not in goods order ${order.externalId}`);
          return {
            sku: position.sku,
            externalId: position.externalId,
            name: nameOf(position.externalId),
            quantity: item.quantity ?? position.quantity,
          };
        }),
      );
    }
    const result: Parcel['items'][] = specs.map(() => []);
    order.positions.forEach((p, i) => {
      result[i % specs.length]?.push({
        sku: p.sku,
        externalId: p.externalId,
        name: nameOf(p.externalId),
        quantity: p.quantity,
        ...(p.serialNumber ? { serialNumber: p.serialNumber } : {}),
      });
    });
    return result;
  }

  private statusChanged(order: GoodsOrder, status: GoodsOrderStatus = order.status): void {
    this.webhooks.emit('status_update', {
      orderId: order.id,
      externalId: order.externalId,
      orderNumber: order.orderNumber,
      statusName: status,
    });
  }

  private trackingNumber(carrier: string): string {
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(this.random() * 10)).join('');
    return carrier === 'DHL' ? `00340434${digits(12)}` : `${carrier.slice(0, 2).toUpperCase()}${digits(12)}`;
  }

  /** Demo mode: the order walks through picking, packing and shipping within `seconds`. */
  private scheduleAutoFulfil(externalId: string, seconds: number): void {
    const steps: GoodsOrderStatus[] = ['INPROCESS', 'READYFORSHIPMENT', 'PACKED', 'SHIPPED'];
    steps.forEach((to, i) => {
      const timer = setTimeout(
        () => {
          this.autoTimers.delete(timer);
          try {
            const order = this.orders.get(externalId);
            if (order.status === 'CANCELLED' || order.status === 'SHIPPED') return;
            this.advance(externalId, to, to === 'SHIPPED' ? [{ carrier: 'DHL', returnLabel: true }] : undefined);
          } catch {
            // The order was moved by hand meanwhile; the demo simply skips that step.
          }
        },
        ((seconds * 1000) / steps.length) * (i + 1),
      );
      timer.unref();
      this.autoTimers.add(timer);
    });
  }

  private stopAutoFulfil(): void {
    for (const t of this.autoTimers) clearTimeout(t);
    this.autoTimers.clear();
  }
}
