import { Inject, Injectable } from '@nestjs/common';
import type { OrdersPageQuery, OrdersPageReply } from '@orderhub/contracts';
import { OrderRepository } from '../infrastructure/order.repository';
import type { Filter } from '../infrastructure/tenant-collection';
import { toOrderView } from './order-view';
import { withinReplyBudget } from './reply-budget';

/**
 * Numbered pages with a total, oldest first (Billbee clients page with `page`/`pageSize` and stop at
 * `TotalPages`; new orders land on the last page, so pages already read stay as they were). A page
 * whose orders would not fit into one reply ends early with `cut`; the caller goes on from its offset.
 */
@Injectable()
export class OrderPages {
  constructor(@Inject(OrderRepository) private readonly orders: OrderRepository) {}

  async page(accountId: string, q: OrdersPageQuery): Promise<OrdersPageReply> {
    const filter = filterOf(q);
    const [docs, totalRows] = await Promise.all([
      this.orders.page(accountId, filter, {
        sort: { orderedAt: 1, _id: 1 },
        skip: q.offset ?? (q.page - 1) * q.pageSize,
        limit: q.pageSize,
        projection: { outbox: 0, rawPayload: 0 },
      }),
      q.withTotal ? this.orders.count(accountId, filter) : undefined,
    ]);
    const { taken, cut } = withinReplyBudget(docs.map((d) => toOrderView(this.orders.toAggregate(d).snapshot, d.history)));
    return { items: taken, cut, ...(totalRows === undefined ? {} : { totalRows }) };
  }
}

function filterOf(q: OrdersPageQuery): Filter {
  const and: Filter[] = [];
  if (q.states.length) and.push({ state: { $in: q.states } });
  if (q.connectionIds.length) and.push({ connectionId: { $in: q.connectionIds } });
  if (q.tags.length) and.push(q.excludeTags ? { tags: { $nin: q.tags } } : { tags: { $all: q.tags } });
  if (q.orderedFrom) and.push({ orderedAt: { $gte: new Date(q.orderedFrom) } });
  if (q.orderedTo) and.push({ orderedAt: { $lte: new Date(q.orderedTo) } });
  // updatedAt is stored as an ISO string in UTC (`toISOString`), so string order is time order.
  if (q.modifiedAfter) and.push({ updatedAt: { $gt: new Date(q.modifiedAfter).toISOString() } });
  if (q.modifiedUntil) and.push({ updatedAt: { $lte: new Date(q.modifiedUntil).toISOString() } });
  return and.length ? { $and: and } : {};
}
