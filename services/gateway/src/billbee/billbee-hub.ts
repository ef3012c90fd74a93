import { Inject, Injectable } from '@nestjs/common';
import {
  type Article,
  billbeeIdFor,
  type ConnectionView,
  type Order,
  ProblemError,
  toBillbeeOrder,
  type BillbeeOrder,
} from '@orderhub/contracts';
import type { Caller } from '../auth/api-key-authenticator';
import { TenantRpc } from '../clients/tenant-rpc.client';

/** Articles are read in pages of this size when a Billbee lookup has no index of ours (numeric id, EAN). */
const ARTICLE_PAGE = 500;
/** An account's catalogue is walked at most this far for such a lookup. */
const MAX_ARTICLES_SCANNED = 20_000;

/**
 * The native application operations (TenantRpc) seen with Billbee's identifiers: numeric order,
 * article and shop ids, shop names for orders. No operation of its own: one application layer.
 */
@Injectable()
export class BillbeeHub {
  constructor(@Inject(TenantRpc) readonly rpc: TenantRpc) {}

  /** A path id as Billbee sends it (a number); anything else is an unknown order. */
  async orderId(caller: Caller, id: string): Promise<string> {
    const billbeeOrderId = Number(id);
    if (!/^\d{1,16}$/.test(id) || !Number.isSafeInteger(billbeeOrderId) || billbeeOrderId < 1) throw ProblemError.notFound('order');
    return (await this.rpc.call(caller, 'billbeeOrderResolve', { billbeeOrderId })).orderId;
  }

  async order(caller: Caller, id: string): Promise<Order> {
    return this.rpc.call(caller, 'ordersGet', { orderId: await this.orderId(caller, id) });
  }

  connections(caller: Caller): Promise<ConnectionView[]> {
    return this.rpc.call(caller, 'connectionsList', {});
  }

  /** Orders in Billbee's model, with their connection's name as shop name. */
  async toBillbee(caller: Caller, orders: Order[], connections?: ConnectionView[]): Promise<BillbeeOrder[]> {
    const names = new Map((connections ?? (await this.connections(caller))).map((c) => [c.id, String(c.settings.name ?? c.type)]));
    return orders.map((o) => toBillbeeOrder(o, { connectionName: names.get(o.connectionId) }));
  }

  /** Every article of the account, page by page (bounded). */
  async allArticles(caller: Caller): Promise<Article[]> {
    const all: Article[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.rpc.call(caller, 'articlesList', { limit: ARTICLE_PAGE, ...(cursor ? { cursor } : {}) });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && all.length < MAX_ARTICLES_SCANNED);
    return all;
  }

  /** `lookupBy`: `id` (Billbee's numeric article id), `sku` or `ean`. */
  async article(caller: Caller, id: string, lookupBy: string): Promise<Article> {
    const by = lookupBy.toLowerCase();
    let found: Article | undefined;
    if (by === 'sku') {
      found = (await this.rpc.call(caller, 'articlesList', { sku: id, limit: 1 })).items[0];
    } else {
      const all = await this.allArticles(caller);
      found = by === 'ean' ? all.find((a) => a.ean === id) : all.find((a) => String(billbeeIdFor('article', a.id)) === id);
    }
    if (!found) throw ProblemError.notFound('article');
    return found;
  }
}
