import type { ProductCatalog } from './product-catalog';
import { duplicate, invalid, missingParameter, notFound, WemaloError } from './wemalo-errors';

/** wemalo's `statusName` values in the order a goods order passes them. */
export const GOODS_ORDER_STATUSES = [
  'PARTIAL',
  'OPEN',
  'INPROCESS',
  'INPICKING',
  'READYFORSHIPMENT',
  'BLOCKEDPACKED',
  'PACKED',
  'SHIPPED',
  'CANCELLED',
] as const;
export type GoodsOrderStatus = (typeof GOODS_ORDER_STATUSES)[number];

/**
 * `statusId`: the apiDoc shows "100" = PARTIAL and bookings use 500 for "sent completely";
 * the ids in between are the simulator's own choice.
 */
export const STATUS_IDS: Record<GoodsOrderStatus, string> = {
  PARTIAL: '100',
  OPEN: '200',
  INPROCESS: '300',
  INPICKING: '310',
  READYFORSHIPMENT: '350',
  BLOCKEDPACKED: '390',
  PACKED: '400',
  SHIPPED: '500',
  CANCELLED: '900',
};

/** The order may only move forward; CANCELLED is reached through `cancel` only. */
const RANK: Record<GoodsOrderStatus, number> = {
  PARTIAL: 0,
  OPEN: 1,
  INPROCESS: 2,
  INPICKING: 3,
  READYFORSHIPMENT: 4,
  BLOCKEDPACKED: 5,
  PACKED: 6,
  SHIPPED: 7,
  CANCELLED: 8,
};

/** Before a picking list exists, wemalo still lets the client change or cancel the order (WEM-5). */
export const isChangeable = (s: GoodsOrderStatus) => s === 'PARTIAL' || s === 'OPEN';

export interface GoodsOrderPosition {
  externalId: string;
  sku: string;
  quantity: number;
  serialNumber?: string;
  externalPositionIdentifier?: string;
  /** cents */
  total?: number;
  /** cents */
  tax?: number;
}

export interface Parcel {
  id: number;
  goodsOrderId: number;
  barcode: string;
  trackingNumber: string;
  carrier: string;
  profileName: string;
  dispatcherProduct: string;
  returnTrackingNumber?: string;
  weightTotal: number;
  isHandedOver: boolean;
  handoverDate?: Date;
  items: { sku: string; name: string; quantity: number; serialNumber?: string; externalId: string }[];
}

export interface GoodsOrder {
  id: number;
  externalId: string;
  orderNumber: string;
  meta: Record<string, unknown>;
  positions: GoodsOrderPosition[];
  status: GoodsOrderStatus;
  reasonPartiallyReserved: string;
  blockReason: string;
  shop: string;
  receivedAt: Date;
  updatedAt: Date;
  parcelIds: number[];
  cancelReason?: string;
}

type Input = Record<string, unknown>;

/** Goods (outbound) orders and their parcels. */
export class GoodsOrderBook {
  private readonly orders = new Map<string, GoodsOrder>();
  private readonly parcels = new Map<number, Parcel>();
  private nextOrderId = 70001;
  private nextParcelId = 880001;

  constructor(
    private readonly catalog: ProductCatalog,
    private readonly now: () => Date,
  ) {}

  /** Returns the order and whether an existing, still changeable order was replaced. */
  add(body: Input, shop: string): { order: GoodsOrder; replaced: boolean } {
    const meta = (body.meta ?? undefined) as Input | undefined;
    if (!meta || typeof meta !== 'object') throw missingParameter('meta');
    const externalId = typeof meta.externalId === 'string' || typeof meta.externalId === 'number' ? String(meta.externalId).trim() : '';
    if (!externalId) throw missingParameter('meta.externalId');
    const rawPositions = body.positions;
    if (!Array.isArray(rawPositions) || rawPositions.length === 0) throw missingParameter('positions');
    const matchBySku = meta.externalIdMatch === 'sku';
    const positions = rawPositions.map((raw: unknown, index) => this.position(raw as Input, index, matchBySku));
    const receivers = Array.isArray(meta.receiver) ? (meta.receiver as Input[]) : [];
    const primary = receivers.find((r) => r.primary) ?? receivers[0];
    if (!primary) throw missingParameter('meta.receiver');

    const existing = this.orders.get(externalId);
    if (existing && !isChangeable(existing.status)) {
      throw duplicate('externalId', `goods order ${externalId} is already ${existing.status} and can no longer be changed`);
    }
    const at = this.now();
    const missing = ['name1', 'street', 'zip', 'city', 'countryCode2Letter'].filter((k) => !String(primary[k] ?? '').trim());
    const deliveryDate = typeof meta.expectedDeliveryDate === 'string' ? meta.expectedDeliveryDate : '';
    const laterDelivery = deliveryDate !== '' && new Date(`${deliveryDate}T00:00:00`).getTime() > at.getTime();
    const reasonPartiallyReserved = missing.length
      ? `missing address data: ${missing.join(', ')}`
      : laterDelivery
        ? `expected delivery date ${deliveryDate}`
        : '';
    const order: GoodsOrder = {
      id: existing?.id ?? this.nextOrderId++,
      externalId,
      orderNumber: String(meta.orderNumber ?? externalId),
      meta,
      positions,
      status: reasonPartiallyReserved ? 'PARTIAL' : 'OPEN',
      reasonPartiallyReserved,
      blockReason: Number(meta.blocked) === 1 ? 'blocked by client' : '',
      shop,
      receivedAt: existing?.receivedAt ?? at,
      updatedAt: at,
      parcelIds: [],
    };
    this.orders.set(externalId, order);
    return { order, replaced: !!existing };
  }

  get(externalId: string): GoodsOrder {
    const order = this.orders.get(externalId);
    if (!order) throw notFound('externalId', `No goods order with externalId ${externalId} found.`);
    return order;
  }

  byId(id: number): GoodsOrder | undefined {
    return [...this.orders.values()].find((o) => o.id === id);
  }

  all(): GoodsOrder[] {
    return [...this.orders.values()];
  }

  /** Only before picking started: once a picking list exists the warehouse is working on it. */
  cancel(externalId: string, reason: string): GoodsOrder {
    const order = this.get(externalId);
    if (order.status === 'CANCELLED') return order;
    if (!isChangeable(order.status)) {
      throw invalid('status', `goods order ${externalId} is ${order.status}; it can only be cancelled before it is picked or packed`);
    }
    order.status = 'CANCELLED';
    order.cancelReason = reason;
    order.updatedAt = this.now();
    return order;
  }

  /** Moves an order forward (warehouse side); returns the statuses passed, in order. */
  advance(externalId: string, to: GoodsOrderStatus): GoodsOrderStatus[] {
    const order = this.get(externalId);
    if (order.status === 'CANCELLED') throw invalid('status', `goods order ${externalId} is cancelled`);
    if (to === 'CANCELLED') throw invalid('status', 'use cancel to cancel an order');
    if (RANK[to] <= RANK[order.status]) throw invalid('status', `goods order ${externalId} is already ${order.status}`);
    // Real orders pass the main steps; optional ones (INPICKING, BLOCKEDPACKED) only when asked for.
    const path: GoodsOrderStatus[] = (['OPEN', 'INPROCESS', 'READYFORSHIPMENT', 'PACKED', 'SHIPPED'] as const).filter(
      (s) => RANK[s] > RANK[order.status] && RANK[s] < RANK[to],
    );
    path.push(to);
    order.status = to;
    if (to !== 'PARTIAL') order.reasonPartiallyReserved = '';
    order.updatedAt = this.now();
    return path;
  }

  addParcel(order: GoodsOrder, parcel: Omit<Parcel, 'id' | 'goodsOrderId' | 'barcode'>): Parcel {
    const id = this.nextParcelId++;
    const full: Parcel = { ...parcel, id, goodsOrderId: order.id, barcode: `WM${id}` };
    this.parcels.set(id, full);
    order.parcelIds.push(id);
    return full;
  }

  parcel(id: number): Parcel {
    const parcel = this.parcels.get(id);
    if (!parcel) throw notFound('parcelId', `No package with id ${id} found.`);
    return parcel;
  }

  parcelsOf(order: GoodsOrder): Parcel[] {
    return order.parcelIds.map((id) => this.parcel(id));
  }

  clear(): void {
    this.orders.clear();
    this.parcels.clear();
  }

  private position(raw: Input, index: number, matchBySku: boolean): GoodsOrderPosition {
    if (!raw || typeof raw !== 'object') throw missingParameter(`positions[${index}]`);
    const key = String((matchBySku ? (raw.sku ?? raw.externalId) : raw.externalId) ?? '').trim();
    if (!key) throw missingParameter(`positions[${index}].externalId`);
    const product = matchBySku ? this.catalog.findBySku(key) : this.catalog.find(key);
    if (!product) throw notFound('extId', `No product with extId ${key} found.`);
    const quantity = Number(raw.quantity ?? 1);
    if (!Number.isInteger(quantity) || quantity < 1) throw invalid('quantity', 'quantity must be a positive integer');
    const serialNumber = typeof raw.serialNumber === 'string' && raw.serialNumber ? raw.serialNumber : undefined;
    if (serialNumber && quantity > 1) throw invalid('quantity', 'If serial number is set, quantity must not be higher then 1.');
    for (const cents of ['total', 'tax'] as const) {
      const v = raw[cents];
      if (v !== undefined && !Number.isInteger(v)) throw invalid(cents, `positions[].${cents} is in cents and must be an integer`);
    }
    return {
      externalId: product.externalId,
      sku: product.sku,
      quantity,
      ...(serialNumber ? { serialNumber } : {}),
      ...(raw.externalPositionIdentifier !== undefined ? { externalPositionIdentifier: String(raw.externalPositionIdentifier) } : {}),
      ...(typeof raw.total === 'number' ? { total: raw.total } : {}),
      ...(typeof raw.tax === 'number' ? { tax: raw.tax } : {}),
    };
  }
}

export function statusView(order: GoodsOrder): Record<string, unknown> {
  return {
    statusId: STATUS_IDS[order.status],
    statusName: order.status,
    reasonPartiallyReserved: order.reasonPartiallyReserved,
    blockReason: order.blockReason,
    id: order.id,
    orderNumber: order.orderNumber,
    deliveryDate: typeof order.meta.expectedDeliveryDate === 'string' ? order.meta.expectedDeliveryDate : '',
    Success: true,
  };
}

export { WemaloError };
