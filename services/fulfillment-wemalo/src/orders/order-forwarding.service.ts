import { Inject, Injectable } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import type { Logger } from 'pino';
import { CONNECTOR_KV, contentHash, type Delivery, WriteBackPipeline, type WriteBackResult } from '@orderhub/connector-kit';
import { allowsHubToChannel, type Article, type Order, type Page, Rpc } from '@orderhub/contracts';
import { LOGGER, RpcClient } from '@orderhub/platform';
import { WEMALO_CONFIG, type WemaloConfig } from '../config';
import { ACTOR, receivedTag, type WemaloConnection } from '../connections/wemalo-connection';
import { WemaloClients } from '../clients/wemalo-clients';
import { kvToken } from '../products/product-report';
import { ProductSyncService } from '../products/product-sync.service';
import { ProfilesCache } from '../clients/profiles-cache';
import type { WemaloClient } from '../clients/wemalo-client';
import { isAuthFailure, WemaloApiError, wemaloErrors } from '../clients/wemalo-errors';
import { isChangeable, type WemaloGoodsOrderInput } from '../clients/wemalo-types';
import { WemaloMetrics } from '../clients/wemalo-metrics';
import { chooseDispatcherProfile, toGoodsOrder, UnmappablePositionError } from './goods-order-mapper';
import { KeyedLock } from './keyed-lock';

export type ForwardOutcome = 'skipped' | 'sent' | 'resent' | 'unchanged' | 'refused' | 'failed';

interface SentRecord {
  hash: string;
  wemaloId?: number;
  at: string;
}

/**
 * WEM-4/WEM-5: an order with the ordersTag in the configured state goes to wemalo as a goods order
 * and then gets `order_received_by_<ordersTag>`. Idempotent by design: wemalo's status by external id
 * (the hub order id) is asked before every add, and the hash of what was sent is kept in KV, so a
 * restart mid-sweep or a redelivered event never sends an order twice; a re-tagged order is sent
 * again only if it changed and wemalo has not started on it.
 */
@Injectable()
export class OrderForwardingService {
  private readonly lock = new KeyedLock();

  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(CONNECTOR_KV) private readonly kv: KV,
    @Inject(WemaloClients) private readonly clients: WemaloClients,
    @Inject(ProductSyncService) private readonly products: ProductSyncService,
    @Inject(ProfilesCache) private readonly profiles: ProfilesCache,
    @Inject(WriteBackPipeline) private readonly pipeline: WriteBackPipeline<WemaloConnection>,
    @Inject(WemaloMetrics) private readonly metrics: WemaloMetrics,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(WEMALO_CONFIG) private readonly config: WemaloConfig,
  ) {}

  wants(connection: WemaloConnection, order: Order): boolean {
    const s = connection.settings;
    return (
      s.active &&
      allowsHubToChannel(s.syncDirection) &&
      order.accountId === connection.accountId &&
      order.state === s.orderStateId &&
      order.tags.includes(s.ordersTag) &&
      !order.tags.includes(receivedTag(connection))
    );
  }

  /** The sweep's part: every order with the ordersTag in the configured state, page by page. */
  async sweep(connection: WemaloConnection): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    let cursor: string | undefined;
    do {
      const page = await this.rpc.call<Page<Order>>(Rpc.ordersList, {
        accountId: connection.accountId,
        actor: ACTOR,
        body: {
          tag: connection.settings.ordersTag,
          state: [connection.settings.orderStateId],
          limit: this.config.WEMALO_SWEEP_PAGE_SIZE,
          ...(cursor ? { cursor } : {}),
        },
      });
      for (const order of page.items) {
        const outcome = await this.forward(connection, order);
        counts[outcome] = (counts[outcome] ?? 0) + 1;
      }
      cursor = page.nextCursor;
    } while (cursor);
    return counts;
  }

  /**
   * Sends the order through the write-back pipeline (inactive connection, transient/auth waits and
   * permanent refusals handled as for every connector). A sweep is a first delivery each time.
   */
  async forward(connection: WemaloConnection, order: Order, delivery: Delivery = { deliveryCount: 1 }): Promise<ForwardOutcome> {
    if (!this.wants(connection, order)) return 'skipped';
    let outcome = 'failed' as ForwardOutcome;
    const target = { accountId: order.accountId, orderId: order.id, connectionId: connection.id, key: `v${order.version}` };
    await this.pipeline.runOn(target, delivery, GOODS_ORDER, wemaloErrors, (current) =>
      this.lock.run(`${current.id}:${order.id}`, async () => {
        const forwarded = await this.forwardLocked(current, order);
        outcome = forwarded.outcome;
        return forwarded.result;
      }),
    );
    this.metrics.goodsOrdersSent.inc({ outcome });
    if (outcome === 'sent' || outcome === 'resent')
      this.log.info({ orderId: order.id, connectionId: connection.id, outcome }, 'goods order sent to wemalo');
    return outcome;
  }

  private async forwardLocked(connection: WemaloConnection, order: Order): Promise<Forwarded> {
    const client = this.clients.for(connection);
    let goodsOrder: WemaloGoodsOrderInput;
    try {
      const dispatcherProfile = chooseDispatcherProfile(await this.profiles.get(client));
      goodsOrder = await toGoodsOrder(
        order,
        (p) => this.articleFor(connection, p),
        (id) => this.products.getArticle(connection.accountId, id),
        dispatcherProfile,
      );
    } catch (err) {
      if (!(err instanceof UnmappablePositionError)) throw err;
      return { outcome: 'failed', result: { outcome: 'failed', detail: err.message, key: contentHash(err.message) } };
    }
    const hash = contentHash(goodsOrder);
    const sentKey = `sent.${connection.id}.${kvToken(order.id)}`;
    const status = await client.getStatus(order.id);
    const sent = await this.readSent(sentKey);

    if (status) {
      // Already at wemalo: after a crash between add and tag (no record or same content) just tag it.
      if (!sent || sent.hash === hash) {
        return {
          outcome: 'unchanged',
          result: received(connection, hash, `already at wemalo (status ${status.statusName}); not sent again`),
        };
      }
      if (!isChangeable(status.statusName)) return refusedChange(connection, hash, status.statusName);
    }

    try {
      const added = await this.add(connection, client, order, goodsOrder);
      await this.kv.put(sentKey, JSON.stringify({ hash, wemaloId: added.id, at: new Date().toISOString() } satisfies SentRecord));
    } catch (err) {
      // wemalo started on it between our status check and the add.
      if (err instanceof WemaloApiError && err.type === 'DUPLICATE') return refusedChange(connection, hash, 'in progress');
      if (err instanceof WemaloApiError && !err.transient && !isAuthFailure(err)) {
        return {
          outcome: 'failed',
          result: {
            outcome: 'failed',
            detail: `wemalo refused the goods order: ${err.message}`,
            key: `${hash}:${err.type}:${err.field ?? ''}`,
          },
        };
      }
      throw err;
    }
    const detail = status ? `changes sent to wemalo (status was ${status.statusName}, WEM-5)` : 'sent to wemalo as goods order';
    return { outcome: status ? 'resent' : 'sent', result: received(connection, hash, detail) };
  }

  /** Adds the goods order; products wemalo does not know yet are transferred first, then once more. */
  private async add(connection: WemaloConnection, client: WemaloClient, order: Order, goodsOrder: WemaloGoodsOrderInput) {
    try {
      return await client.addGoodsOrder(goodsOrder);
    } catch (err) {
      if (!(err instanceof WemaloApiError && err.notFound)) throw err;
      for (const id of new Set(goodsOrder.positions.map((p) => p.externalId))) {
        const article = await this.products.getArticle(order.accountId, id);
        await this.products.transfer(connection, client, article, true);
      }
      return client.addGoodsOrder(goodsOrder);
    }
  }

  private async articleFor(connection: WemaloConnection, position: Order['positions'][number]): Promise<Article | undefined> {
    if (position.articleId) return this.products.getArticle(connection.accountId, position.articleId);
    if (!position.sku) return undefined;
    const page = await this.rpc.call<Page<Article>>(Rpc.articlesList, {
      accountId: connection.accountId,
      actor: ACTOR,
      body: { sku: position.sku, limit: 1 },
    });
    return page.items[0];
  }

  private async readSent(key: string): Promise<SentRecord | undefined> {
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return undefined;
    return entry.json<SentRecord>();
  }
}

const GOODS_ORDER = { name: 'wemalo: goods order', metric: 'goods-order' };

interface Forwarded {
  outcome: ForwardOutcome;
  result: WriteBackResult;
}

/** WEM-4: at wemalo; the order is tagged received. */
function received(connection: WemaloConnection, hash: string, detail: string): WriteBackResult {
  return { outcome: 'ok', detail, addTags: [receivedTag(connection)], key: `received:${hash}` };
}

/** WEM-5: wemalo is working on the order; the change stays in the hub, the reason on the order. */
function refusedChange(connection: WemaloConnection, hash: string, statusName: string): Forwarded {
  return {
    outcome: 'refused',
    result: {
      outcome: 'refused',
      action: 'wemalo: send changes',
      ruleId: 'WEM-5',
      detail: `wemalo is already processing the goods order (status ${statusName}); changes can only be sent while it is OPEN or PARTIAL`,
      // The order is still at wemalo (in its earlier version): keep it marked as received.
      addTags: [receivedTag(connection)],
      key: `refused:${hash}:${statusName}`,
    },
  };
}
