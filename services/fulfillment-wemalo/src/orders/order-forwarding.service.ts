import { Inject, Injectable } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import type { Logger } from 'pino';
import { ConnectionHealthBook, CONNECTOR_KV, ConnectorMetrics, contentHash, OrdersInbox } from '@orderhub/connector-kit';
import { allowsHubToChannel, type Article, type Order, type Page, Rpc } from '@orderhub/contracts';
import { LOGGER, RpcClient } from '@orderhub/platform';
import { WEMALO_CONFIG, type WemaloConfig } from '../config';
import { ACTOR, receivedTag, type WemaloConnection } from '../connections/wemalo-connection';
import { WemaloClients } from '../clients/wemalo-clients';
import { kvToken } from '../products/product-report';
import { ProductSyncService } from '../products/product-sync.service';
import { ProfilesCache } from '../clients/profiles-cache';
import type { WemaloClient } from '../clients/wemalo-client';
import { isAuthFailure, WemaloApiError } from '../clients/wemalo-errors';
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
    @Inject(OrdersInbox) private readonly inbox: OrdersInbox,
    @Inject(ConnectorMetrics) private readonly connectorMetrics: ConnectorMetrics,
    @Inject(ConnectionHealthBook) private readonly health: ConnectionHealthBook,
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

  async forward(connection: WemaloConnection, order: Order): Promise<ForwardOutcome> {
    if (!this.wants(connection, order)) return 'skipped';
    try {
      const outcome = await this.lock.run(`${connection.id}:${order.id}`, () => this.forwardLocked(connection, order));
      await this.health.succeeded(connection);
      return outcome;
    } catch (err) {
      // Refused credentials: nothing is dropped; the order shows why it waits, and the retry sends it.
      if (isAuthFailure(err)) await this.waiting(connection, order, err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  private async waiting(connection: WemaloConnection, order: Order, reason: string): Promise<void> {
    await this.health.failed(connection, `goods order: ${reason}`);
    this.connectorMetrics.writeBacks.inc({ connector: 'wemalo', action: 'goods-order', outcome: 'waiting' });
    await this.inbox.reportActivity(
      connection,
      {
        orderId: order.id,
        action: 'wemalo: goods order',
        outcome: 'waiting',
        detail: `wemalo refused the credentials; retried with backoff until it goes out: ${reason.slice(0, 300)}`,
      },
      `waiting:v${order.version}`,
    );
  }

  private async forwardLocked(connection: WemaloConnection, order: Order): Promise<ForwardOutcome> {
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
      return this.fail(connection, order, err.message, contentHash(err.message));
    }
    const hash = contentHash(goodsOrder);
    const sentKey = `sent.${connection.id}.${kvToken(order.id)}`;
    const status = await client.getStatus(order.id);
    const sent = await this.readSent(sentKey);

    if (status) {
      // Already at wemalo: after a crash between add and tag (no record or same content) just tag it.
      if (!sent || sent.hash === hash) {
        await this.received(connection, order, hash, `already at wemalo (status ${status.statusName}); not sent again`);
        this.metrics.goodsOrdersSent.inc({ outcome: 'unchanged' });
        return 'unchanged';
      }
      if (!isChangeable(status.statusName)) return this.refuseChange(connection, order, hash, status.statusName);
    }

    try {
      const added = await this.add(connection, client, order, goodsOrder);
      await this.kv.put(sentKey, JSON.stringify({ hash, wemaloId: added.id, at: new Date().toISOString() } satisfies SentRecord));
    } catch (err) {
      if (err instanceof WemaloApiError && err.type === 'DUPLICATE') {
        // wemalo started on it between our status check and the add.
        return this.refuseChange(connection, order, hash, 'in progress');
      }
      if (err instanceof WemaloApiError && !err.transient && !isAuthFailure(err)) {
        return this.fail(connection, order, `wemalo refused the goods order: ${err.message}`, `${hash}:${err.type}:${err.field ?? ''}`);
      }
      throw err;
    }
    const outcome: ForwardOutcome = status ? 'resent' : 'sent';
    await this.received(
      connection,
      order,
      hash,
      status ? `changes sent to wemalo (status was ${status.statusName}, WEM-5)` : 'sent to wemalo as goods order',
    );
    this.metrics.goodsOrdersSent.inc({ outcome });
    this.connectorMetrics.writeBacks.inc({ connector: 'wemalo', action: 'goods-order', outcome: 'ok' });
    this.log.info({ orderId: order.id, connectionId: connection.id, outcome }, 'goods order sent to wemalo');
    return outcome;
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

  private async received(connection: WemaloConnection, order: Order, hash: string, detail: string): Promise<void> {
    await this.inbox.reportActivity(
      connection,
      { orderId: order.id, action: 'wemalo: goods order', outcome: 'ok', detail, addTags: [receivedTag(connection)] },
      `received:${hash}:v${order.version}`,
    );
  }

  /** WEM-5: wemalo is working on the order; the change stays in the hub, the reason on the order. */
  private async refuseChange(connection: WemaloConnection, order: Order, hash: string, statusName: string): Promise<ForwardOutcome> {
    await this.inbox.reportActivity(
      connection,
      {
        orderId: order.id,
        action: 'wemalo: send changes',
        outcome: 'refused',
        ruleId: 'WEM-5',
        detail: `wemalo is already processing the goods order (status ${statusName}); changes can only be sent while it is OPEN or PARTIAL`,
        // The order is still at wemalo (in its earlier version): keep it marked as received.
        addTags: [receivedTag(connection)],
      },
      `refused:${hash}:${statusName}:v${order.version}`,
    );
    this.metrics.goodsOrdersSent.inc({ outcome: 'refused' });
    this.connectorMetrics.writeBacks.inc({ connector: 'wemalo', action: 'goods-order', outcome: 'refused' });
    return 'refused';
  }

  private async fail(connection: WemaloConnection, order: Order, detail: string, key: string): Promise<ForwardOutcome> {
    this.log.warn({ orderId: order.id, connectionId: connection.id, detail }, 'goods order not sent to wemalo');
    await this.inbox.reportActivity(
      connection,
      { orderId: order.id, action: 'wemalo: goods order', outcome: 'failed', detail },
      `failed:${key}:v${order.version}`,
    );
    this.metrics.goodsOrdersSent.inc({ outcome: 'failed' });
    this.connectorMetrics.writeBacks.inc({ connector: 'wemalo', action: 'goods-order', outcome: 'failed' });
    return 'failed';
  }

  private async readSent(key: string): Promise<SentRecord | undefined> {
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return undefined;
    return entry.json<SentRecord>();
  }
}
