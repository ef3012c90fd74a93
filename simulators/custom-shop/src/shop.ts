import { ApiErrors } from './errors';
import type { GermanFakeDataFactory } from './fake-data';
import { ShopDataGenerator } from './generator';
import { OrderState, type Order, type Product, type ShippingProfile, type StoredOrder } from './model';
import { ReceivedLog, type StateChangeRecord } from './received';
import { seedFromShopId, type ShopConfig, type ShopSettingsPatch } from './shop-config';

const FIRST_ORDER_ID = 100_001;
const FIRST_PRODUCT_ID = 5_001;
/** Seeded orders are spread back in time by this step, oldest first. */
const SEEDED_ORDER_SPACING_MS = 37 * 60_000;

/** One simulated web shop: its settings, catalogue, orders and what the hub pushed to it. */
export class Shop {
  readonly orders = new Map<string, StoredOrder>();
  readonly products = new Map<string, Product>();
  shippingProfiles: ShippingProfile[];
  readonly received = new ReceivedLog();
  private readonly generator: ShopDataGenerator;
  private nextOrderSeq = FIRST_ORDER_ID;
  private nextProductSeq = FIRST_PRODUCT_ID;
  private nextSequence = 0;

  constructor(
    public config: ShopConfig,
    fakeData: GermanFakeDataFactory,
    private readonly clock: () => number,
  ) {
    const seed = config.seed ?? seedFromShopId(config.shopId);
    this.generator = new ShopDataGenerator(seed, fakeData(seed));
    this.shippingProfiles = config.shippingProfiles.map((p) => ({ ...p }));
    this.generateProducts(config.products);
    this.generateOrders(config.orders, { backdated: true });
  }

  get id(): string {
    return this.config.shopId;
  }

  /** The shop's own clock, including the configured skew. */
  now(): Date {
    return new Date(this.clock() + this.config.clockOffsetSeconds * 1000);
  }

  updateSettings(patch: ShopSettingsPatch): void {
    this.config = { ...this.config, ...patch };
  }

  generateProducts(count: number): Product[] {
    return Array.from({ length: count }, () => {
      const product = this.generator.product(String(this.nextProductSeq++));
      this.products.set(product.id, product);
      return product;
    });
  }

  /** New orders dated now, or (for seeding) spread back in time so they look like history. */
  generateOrders(count: number, options: { backdated?: boolean } = {}): StoredOrder[] {
    if (count > 0 && this.products.size === 0) this.generateProducts(10);
    const now = this.now().getTime();
    return Array.from({ length: count }, (_, i) => {
      const orderDate = new Date(options.backdated ? now - (count - i) * SEEDED_ORDER_SPACING_MS : now);
      return this.store(this.newOrder(orderDate));
    });
  }

  newOrder(orderDate: Date = this.now()): Order {
    const seq = this.nextOrderSeq++;
    return this.generator.order({
      orderId: String(seq),
      orderNumber: `${this.config.orderNumberPrefix}-${seq}`,
      orderDate,
      products: [...this.products.values()],
      shippingProfiles: this.shippingProfiles,
    });
  }

  store(order: Order): StoredOrder {
    const existing = this.orders.get(order.order_id);
    const stored: StoredOrder = {
      order,
      sequence: existing?.sequence ?? this.nextSequence++,
      modifiedAt: this.now(),
      acknowledged: existing?.acknowledged ?? false,
    };
    if (!existing && order.order_date && order.order_date < stored.modifiedAt) stored.modifiedAt = order.order_date;
    this.orders.set(order.order_id, stored);
    return stored;
  }

  /** Apply a change made in the shop; it bumps the modified date so the next GetOrders returns it again. */
  modifyOrder(orderId: string, change: (order: Order) => void): StoredOrder {
    const stored = this.getOrder(orderId);
    change(stored.order);
    stored.modifiedAt = this.now();
    return stored;
  }

  getOrder(orderId: string): StoredOrder {
    const stored = this.orders.get(orderId);
    if (!stored) throw ApiErrors.orderNotFound();
    return stored;
  }

  getProduct(productId: string): Product {
    const product = this.products.get(productId);
    if (!product) throw ApiErrors.productNotFound();
    return product;
  }

  /** GetOrders' selection: created or modified since `start`, in creation order so paging is stable. */
  ordersSince(start: Date): StoredOrder[] {
    return [...this.orders.values()]
      .filter((s) => (s.order.order_date !== null && s.order.order_date >= start) || s.modifiedAt >= start)
      .filter((s) => !(this.config.hideAcknowledgedOrders && s.acknowledged))
      .sort((a, b) => a.sequence - b.sequence);
  }

  acknowledge(orderId: string): void {
    this.getOrder(orderId).acknowledged = true;
    this.received.acks.push({ orderId, receivedAt: this.now().toISOString() });
  }

  /** What a shop does on SetOrderState: take the state, keep the comment in the history, stamp dates. */
  setOrderState(change: Omit<StateChangeRecord, 'receivedAt'>): void {
    const now = this.now();
    this.modifyOrder(change.orderId, (order) => {
      order.order_status_id = change.newStateTypeId;
      if (change.newStateTypeId === OrderState.Shipped && !order.ship_date) order.ship_date = now;
      if (change.newStateTypeId === OrderState.Paid && !order.pay_date) order.pay_date = now;
      if (change.comment) order.order_history.push({ date_added: now, name: 'Billbee', comment: change.comment, from_customer: false });
    });
    this.received.stateChanges.push({ ...change, receivedAt: now.toISOString() });
  }

  setStock(productId: string, availableStock: number, raw: string): void {
    this.getProduct(productId).quantity = availableStock;
    this.received.stockUpdates.push({ productId, availableStock, rawAvailableStock: raw, receivedAt: this.now().toISOString() });
  }
}
