import { z } from 'zod';
import { FULFILLMENT_STATUSES, statusRank, type FulfillmentStatus, type PartnerOrder } from './model';

/** OTTO caps an orders page at 128 (also the default). */
export const MAX_ORDERS_PER_PAGE = 128;

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date-time');
const repeatable = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

export const OrderFilterSchema = z.object({
  /** Earliest lastModifiedDate (a change date, despite the name). */
  fromDate: isoDate.optional(),
  fromOrderDate: isoDate.optional(),
  toOrderDate: isoDate.optional(),
  fulfillmentStatus: repeatable(z.enum(FULFILLMENT_STATUSES)).optional(),
  mode: z.enum(['BUCKET', 'AT_LEAST_ONE']).default('BUCKET'),
  orderDirection: z.enum(['ASC', 'DESC']).default('ASC'),
  // Only ORDER_LIFECYCLE_DATE is documented; ORDER_DATE is the assumed other column.
  orderColumnType: z.enum(['ORDER_LIFECYCLE_DATE', 'ORDER_DATE']).default('ORDER_LIFECYCLE_DATE'),
});
export type OrderFilter = z.output<typeof OrderFilterSchema>;

export const LimitSchema = z.coerce.number().int().min(1).max(MAX_ORDERS_PER_PAGE).default(MAX_ORDERS_PER_PAGE);

interface Cursor {
  filter: OrderFilter;
  after: { key: string; id: string };
  /** The page size of the first request, kept when the next request sends only the cursor. */
  limit?: number;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(raw: string): Cursor | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Cursor>;
    const filter = OrderFilterSchema.safeParse(parsed.filter);
    if (!filter.success || typeof parsed.after?.key !== 'string' || typeof parsed.after.id !== 'string') return undefined;
    return { filter: filter.data, after: parsed.after, ...(typeof parsed.limit === 'number' ? { limit: parsed.limit } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * BUCKET: an order is in the ANNOUNCED…RETURNED bucket when it has an item in that state and none in a
 * smaller one; the cancelled buckets need just one such item. AT_LEAST_ONE: any item in the state.
 */
export function matchesStatus(order: PartnerOrder, statuses: readonly FulfillmentStatus[], mode: OrderFilter['mode']): boolean {
  const itemStatuses = order.positionItems.map((i) => i.fulfillmentStatus);
  return statuses.some((wanted) => {
    if (!itemStatuses.includes(wanted)) return false;
    if (mode === 'AT_LEAST_ONE' || wanted === 'CANCELLED_BY_PARTNER' || wanted === 'CANCELLED_BY_MARKETPLACE') return true;
    return itemStatuses.every((s) => statusRank(s) >= statusRank(wanted));
  });
}

export function sortKey(order: PartnerOrder, filter: OrderFilter): string {
  return filter.orderColumnType === 'ORDER_DATE' ? order.orderDate : order.orderLifecycleInformation.lifecycleChangeDate;
}

function matches(order: PartnerOrder, filter: OrderFilter): boolean {
  const ts = (s: string) => Date.parse(s);
  if (filter.fromDate && ts(order.lastModifiedDate) < ts(filter.fromDate)) return false;
  if (filter.fromOrderDate && ts(order.orderDate) < ts(filter.fromOrderDate)) return false;
  if (filter.toOrderDate && ts(order.orderDate) > ts(filter.toOrderDate)) return false;
  if (filter.fulfillmentStatus && filter.fulfillmentStatus.length > 0 && !matchesStatus(order, filter.fulfillmentStatus, filter.mode))
    return false;
  return true;
}

/** One page, keyset-paged on (sort column, salesOrderId) so inserts between pages skip nothing. */
export function selectPage(
  orders: Iterable<PartnerOrder>,
  filter: OrderFilter,
  limit: number,
  after?: Cursor['after'],
): { page: PartnerOrder[]; next?: Cursor } {
  const direction = filter.orderDirection === 'ASC' ? 1 : -1;
  const compare = (aKey: string, aId: string, bKey: string, bId: string) =>
    direction * (Date.parse(aKey) - Date.parse(bKey) || aId.localeCompare(bId));
  const sorted = [...orders]
    .filter((o) => matches(o, filter))
    .filter((o) => !after || compare(sortKey(o, filter), o.salesOrderId, after.key, after.id) > 0)
    .sort((a, b) => compare(sortKey(a, filter), a.salesOrderId, sortKey(b, filter), b.salesOrderId));
  const page = sorted.slice(0, limit);
  const last = page[page.length - 1];
  if (sorted.length <= limit || !last) return { page };
  return { page, next: { filter, after: { key: sortKey(last, filter), id: last.salesOrderId }, limit } };
}
