import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import { allowsChannelToHub, type ArticleInput, orderContentHash } from '@orderhub/contracts';
import {
  type ChannelOrderRead,
  CheckpointStore,
  CONNECTOR_KV,
  ConnectorMetrics,
  OrdersInbox,
  ParkedOrderDesk,
  type PollResult,
  type PollTarget,
  StoredOrders,
  SyncNow,
} from '@orderhub/connector-kit';
import { LOGGER } from '@orderhub/platform';
import type { Logger } from 'pino';
import { SERVERSPOT_CONFIG, type ServerspotConfig } from '../config';
import type { CustomShopClient } from '../clients/custom-shop-client';
import { ShopApiError } from '../clients/shop-errors';
import type { ShopOrder, ShopProduct } from '../clients/shop-wire';
import { ShopClients } from '../clients/shop-clients';
import type { ServerspotConnection } from '../connections/serverspot-connection';
import { mapShopOrder } from './order-mapper';
import { ProductIndex } from './product-index';

/** Per connection in NATS KV: where the next GetOrders starts, and what was acknowledged in its window. */
export interface ImportCheckpoint {
  /** Next poll asks GetOrders from this moment minus the overlap window. */
  since: string;
  /** Orders acknowledged to the shop, with the hash of the content that the orders service persisted. */
  acked: Record<string, string>;
  /** Last article import (GetProducts), epoch ms. */
  articlesAt?: number;
}

export const ACTOR = 'connector:serverspot';

interface Pending {
  externalId: string;
  hash: string;
  orderedAt?: number;
}

/**
 * The Serverspot import (SSP-3): GetOrders from the checkpoint minus an overlap, page by page; each
 * order is mapped and handed to the orders service (JetStream, durable); once the orders service
 * confirms it has persisted the order (`Rpc.ordersStoredExternalIds`, one request per page) the
 * order is acknowledged to the shop with AckOrder. The checkpoint never moves past an order that was not acknowledged, so such an
 * order comes back on the next poll (re-import is idempotent). Runs only when the connection imports
 * orders and its sync direction allows channel→hub (CONN-4).
 */
@Injectable()
export class OrderImport implements PollTarget<ServerspotConnection>, OnApplicationBootstrap {
  private readonly checkpoints: CheckpointStore<ImportCheckpoint>;
  private readonly articlesRequested = new Set<string>();

  constructor(
    @Inject(CONNECTOR_KV) kv: KV,
    @Inject(ShopClients) private readonly clients: ShopClients,
    @Inject(SyncNow) private readonly syncNow: SyncNow,
    @Inject(OrdersInbox) private readonly inbox: OrdersInbox,
    @Inject(StoredOrders) private readonly stored: StoredOrders,
    @Inject(ParkedOrderDesk) private readonly parked: ParkedOrderDesk<ServerspotConnection>,
    @Inject(ConnectorMetrics) private readonly metrics: ConnectorMetrics,
    @Inject(ProductIndex) private readonly products: ProductIndex,
    @Inject(SERVERSPOT_CONFIG) private readonly config: ServerspotConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.checkpoints = new CheckpointStore<ImportCheckpoint>(kv);
  }

  /** CONN-4: nothing is read from the shop unless channel→hub is allowed. */
  wants(c: ServerspotConnection): boolean {
    return allowsChannelToHub(c.settings.syncDirection);
  }

  /** On-demand sync also re-reads the shop's products; a retried parked order is read with GetOrder and acknowledged. */
  onApplicationBootstrap(): void {
    this.syncNow.onRequest((connectionId) => this.articlesRequested.add(connectionId));
    this.parked.retriesBy(async (c, externalId) => this.read(c, await this.clients.for(c).getOrder(externalId)), {
      storeWaitMs: this.config.SERVERSPOT_PERSIST_WAIT_MS,
      onStored: (connection, externalId) => this.clients.for(connection).ackOrder(externalId),
    });
  }

  async poll(c: ServerspotConnection): Promise<PollResult> {
    const client = this.clients.for(c);
    const checkpoint = (await this.checkpoints.get(c.id)) ?? {
      since: new Date(Date.now() - this.config.SERVERSPOT_INITIAL_LOOKBACK_DAYS * 86_400_000).toISOString(),
      acked: {},
    };
    let result: PollResult;
    if (c.settings.importOrders && allowsChannelToHub(c.settings.syncDirection)) {
      result = await this.importOrders(c, client, checkpoint);
    }
    const articlesDue = (checkpoint.articlesAt ?? 0) + this.config.SERVERSPOT_ARTICLE_IMPORT_INTERVAL_MS <= Date.now();
    if (articlesDue || this.articlesRequested.has(c.id)) {
      this.articlesRequested.delete(c.id);
      await this.importArticles(c, client);
      checkpoint.articlesAt = Date.now();
      await this.checkpoints.put(c.id, checkpoint);
    }
    return result;
  }

  private async importOrders(c: ServerspotConnection, client: CustomShopClient, checkpoint: ImportCheckpoint): Promise<PollResult> {
    const pollStartedAt = Date.now();
    const overlapMs = this.config.SERVERSPOT_OVERLAP_SECONDS * 1000;
    const startDate = new Date(Date.parse(checkpoint.since) - overlapMs);
    const ackedThisPoll: Record<string, string> = {};
    let nextSince = pollStartedAt;
    let notYetPersisted = 0;
    let page = 1;
    let totalPages = 1;
    const parkedIds = await this.parked.store.externalIds(c.id);
    do {
      const { paging, orders } = await client.getOrders(startDate, page, this.config.SERVERSPOT_PAGE_SIZE);
      totalPages = paging.totalPages;
      // A page's orders are handed in at once (each a JetStream publish awaiting its ack): one after
      // the other, a page of 100 took most of a burst's time on this connector.
      const submitted = await Promise.all(
        orders.map(async (shopOrder): Promise<Pending | undefined> => {
          // Not held back (it would pin the checkpoint forever) and not forgotten: parked with the reason.
          const order = await this.parked.mapOrPark(c, this.read(c, shopOrder));
          if (!order) return undefined;
          const hash = orderContentHash(order);
          if (checkpoint.acked[order.externalId] === hash) {
            ackedThisPoll[order.externalId] = hash;
            return undefined;
          }
          await this.inbox.submitOrder(c, order);
          this.metrics.ordersSubmitted.inc({ connector: 'serverspot' });
          return { externalId: order.externalId, hash, orderedAt: Date.parse(order.orderedAt) };
        }),
      );
      const pending = submitted.filter((p): p is Pending => p !== undefined);
      const persisted = await this.stored.awaitStored(
        c,
        pending.map((p) => p.externalId),
        this.config.SERVERSPOT_PERSIST_WAIT_MS,
      );
      for (const p of pending) {
        let acked = false;
        if (!persisted.has(p.externalId)) notYetPersisted += 1;
        else {
          try {
            await client.ackOrder(p.externalId);
            acked = true;
          } catch (err) {
            this.logger.warn(
              { connectionId: c.id, externalId: p.externalId, err: errText(err) },
              'AckOrder failed; order stays unacknowledged',
            );
          }
        }
        if (acked) {
          ackedThisPoll[p.externalId] = p.hash;
          checkpoint.acked[p.externalId] = p.hash;
          if (parkedIds.has(p.externalId)) await this.parked.store.release(c.id, p.externalId);
        } else {
          // The next GetOrders must return it again: it matched `startDate`, and by its order date if later.
          const bound = Math.max(startDate.getTime(), p.orderedAt ?? startDate.getTime());
          nextSince = Math.min(nextSince, bound + overlapMs);
        }
      }
      // Progress survives a crash mid-import: acknowledged orders are not submitted or acked again.
      if (pending.length > 0) await this.checkpoints.put(c.id, checkpoint);
      page += 1;
    } while (page <= totalPages);
    checkpoint.since = new Date(Math.max(nextSince, Date.parse(checkpoint.since))).toISOString();
    if (nextSince < pollStartedAt) {
      this.logger.info({ connectionId: c.id, since: checkpoint.since }, 'checkpoint held back by unacknowledged orders');
    }
    checkpoint.acked = ackedThisPoll;
    await this.checkpoints.put(c.id, checkpoint);
    // The orders service is behind: come back at the next tick instead of after the poll interval.
    return notYetPersisted > 0 ? { pollAgainSoon: true } : undefined;
  }

  /** A shop order as the parked-order desk reads it: its ids and the mapping (which names why it cannot be read). */
  private read(c: ServerspotConnection, shopOrder: ShopOrder): ChannelOrderRead {
    return { externalId: shopOrder.order_id, orderNumber: shopOrder.order_number, map: () => mapShopOrder(shopOrder, c.settings) };
  }

  /** Article import (GetProducts): every product becomes a hub article keyed by SKU / shop product id. */
  private async importArticles(c: ServerspotConnection, client: CustomShopClient): Promise<void> {
    let all: ShopProduct[];
    try {
      all = await client.allProducts();
    } catch (err) {
      if (err instanceof ShopApiError && err.kind === 'notImplemented') return; // products are optional in the API
      throw err;
    }
    this.products.remember(c.id, all);
    for (const product of all) {
      await this.inbox.submitArticle(c, mapShopProduct(product));
    }
  }
}

export function mapShopProduct(p: ShopProduct): ArticleInput {
  const positive = (n: number | undefined) => (n !== undefined && n > 0 ? n : undefined);
  const weight = positive(p.weight);
  const dimensions = {
    lengthCm: positive(p.lengthcm),
    widthCm: positive(p.widthcm),
    heightCm: positive(p.heightcm),
    weightGrams: weight !== undefined ? Math.round(weight * 1000) : undefined,
  };
  const hasDimensions = Object.values(dimensions).some((v) => v !== undefined);
  return {
    sku: p.sku?.slice(0, 200),
    ean: p.ean?.slice(0, 50),
    title: (p.title ?? p.sku ?? `Product ${p.id}`).slice(0, 1000),
    price: p.price !== undefined && p.price >= 0 ? p.price : undefined,
    currency: 'EUR',
    dimensions: hasDimensions ? dimensions : undefined,
    // The hub owns stock (it pushes SetStock); the shop's quantity is not imported.
    stock: [],
    bundleComponents: [],
    externalId: p.id,
  };
}

const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));
