import { Inject, Injectable } from '@nestjs/common';
import { type Order, type OrderRawPayload, type Page, ProblemError, type RpcRequestOf } from '@orderhub/contracts';
import { enrichContext } from '@orderhub/platform';
import { OrderRepository } from '../infrastructure/order.repository';
import { orderIdFor } from '../domain/order-id';
import { toOrderView } from './order-view';
import { withinReplyBudget } from './reply-budget';

/** Cursor = base64url of `[orderedAt ISO, id]`: stable keyset paging by (orderedAt desc, id desc). */
function decodeCursor(cursor: string): { orderedAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const orderedAt = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(orderedAt.getTime())) throw new Error('bad cursor');
    return { orderedAt, id };
  } catch {
    throw ProblemError.validation([{ path: 'cursor', message: 'not a cursor from a previous page' }]);
  }
}

@Injectable()
export class OrderQueries {
  constructor(@Inject(OrderRepository) private readonly orders: OrderRepository) {}

  async get(accountId: string, orderId: string): Promise<Order> {
    enrichContext({ orderId });
    const order = await this.orders.findById(accountId, orderId);
    if (!order) throw ProblemError.notFound('order');
    return toOrderView(order.snapshot, order.fullHistory);
  }

  async rawPayload(accountId: string, orderId: string): Promise<OrderRawPayload> {
    enrichContext({ orderId });
    const order = await this.orders.findById(accountId, orderId);
    if (!order) throw ProblemError.notFound('order');
    const { id, channel, externalId } = order.snapshot;
    return { orderId: id, channel, externalId, rawPayload: (await this.orders.rawPayloadOf(order)) ?? null };
  }

  /** Orders the hub took in per connection since `since` (normalized to UTC, as `createdAt` is stored). */
  countCreatedSince(accountId: string, since: string) {
    return this.orders.countCreatedSince(accountId, new Date(since).toISOString());
  }

  async findByExternalId(accountId: string, connectionId: string, externalId: string): Promise<Order> {
    const order = await this.orders.findByExternalId(accountId, connectionId, externalId);
    if (!order) throw ProblemError.notFound('order');
    return toOrderView(order.snapshot, order.fullHistory);
  }

  /** Which of the connection's channel order ids are stored (in this account). */
  async storedExternalIds(accountId: string, connectionId: string, externalIds: string[]): Promise<{ externalIds: string[] }> {
    const byId = new Map(externalIds.map((e) => [orderIdFor(accountId, connectionId, e), e]));
    const stored = await this.orders.storedIds(accountId, [...byId.keys()]);
    return { externalIds: stored.map((id) => byId.get(id) as string) };
  }

  async list({ accountId, body }: RpcRequestOf<'ordersList'>): Promise<Page<Order>> {
    const docs = await this.orders.list(accountId, {
      ...body,
      after: body.cursor ? decodeCursor(body.cursor) : undefined,
      limit: body.limit + 1,
    });
    // a page that would not fit into one reply ends early; its cursor goes on from there
    const { taken: items, cut } = withinReplyBudget(docs.slice(0, body.limit).map((d) => toOrderView(this.orders.toAggregate(d).snapshot)));
    const last = items[items.length - 1];
    if ((!cut && docs.length <= body.limit) || !last) return { items };
    return { items, nextCursor: Buffer.from(JSON.stringify([last.orderedAt, last.id])).toString('base64url') };
  }
}
