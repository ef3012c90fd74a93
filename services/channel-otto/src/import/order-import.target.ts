import type { Logger } from 'pino';
import { allowsChannelToHub, orderContentHash } from '@orderhub/contracts';
import type {
  ChannelOrderRead,
  CheckpointStore,
  ConnectorMetrics,
  OrdersInbox,
  ParkedOrderDesk,
  PollTarget,
} from '@orderhub/connector-kit';
import type { OttoApiClient } from '../clients/otto-api-client';
import { nextCursorOf, type OttoOrder } from '../clients/otto-types';
import type { ArticleImporter } from '../articles/article-importer';
import type { OttoConfig } from '../config';
import type { OttoConnection } from '../connections/otto-connection';
import type { OttoOrderMapper } from '../mapping/otto-order-mapper';
import { HandedInOrders } from './handed-in-orders';
import type { ImportCheckpoint } from './import-checkpoint';
import { nextFromDate } from './import-checkpoint';

/**
 * One poll of one OTTO connection: `GET /v4/orders?fromDate=…` page by page (nextcursor), each order
 * mapped and handed to the orders service (unless this replica handed the same content in lately),
 * the checkpoint written after every page. Then, when due, the product import. An order the mapper
 * cannot read is parked with the reason (issue 15), and the import goes on; a retry through the API
 * reads it again with `GET /v4/orders/{salesOrderId}`.
 */
export class OrderImportTarget implements PollTarget<OttoConnection> {
  private readonly handedIn = new HandedInOrders();

  constructor(
    private readonly api: OttoApiClient,
    private readonly mapper: OttoOrderMapper,
    private readonly inbox: OrdersInbox,
    private readonly parked: ParkedOrderDesk<OttoConnection>,
    private readonly checkpoints: CheckpointStore<ImportCheckpoint>,
    private readonly articles: ArticleImporter,
    private readonly metrics: ConnectorMetrics,
    private readonly logger: Logger,
    private readonly config: OttoConfig,
  ) {
    parked.retriesBy(async (c, salesOrderId) => this.read(await this.api.getOrder(c, salesOrderId)), {
      storeWaitMs: RETRY_STORE_WAIT_MS,
    });
  }

  /** CONN-4: nothing is read from OTTO unless the sync direction includes channel → hub. */
  wants(c: OttoConnection): boolean {
    return allowsChannelToHub(c.settings.syncDirection);
  }

  async poll(c: OttoConnection): Promise<void> {
    let checkpoint = (await this.checkpoints.get(c.id)) ?? {
      fromDate: new Date(Date.now() - this.config.OTTO_INITIAL_LOOKBACK_HOURS * 3_600_000).toISOString(),
    };
    if (c.settings.importOrders) checkpoint = await this.importOrders(c, checkpoint);
    const due =
      Date.parse(checkpoint.articlesImportedAt ?? '1970-01-01T00:00:00Z') + this.config.OTTO_ARTICLE_IMPORT_INTERVAL_SECONDS * 1000;
    if (due <= Date.now()) {
      await this.articles.importAll(c);
      checkpoint = { ...checkpoint, articlesImportedAt: new Date().toISOString() };
      await this.checkpoints.put(c.id, checkpoint);
    }
  }

  private async importOrders(c: OttoConnection, start: ImportCheckpoint): Promise<ImportCheckpoint> {
    let checkpoint: ImportCheckpoint = start;
    const run = checkpoint.run ?? { fromDate: checkpoint.fromDate, startedAt: new Date().toISOString(), pages: 0 };
    const limit = this.config.OTTO_PAGE_LIMIT;
    const parkedIds = await this.parked.store.externalIds(c.id);
    for (;;) {
      const page = run.cursor
        ? await this.api.listOrders(c, { nextcursor: run.cursor, limit })
        : await this.api.listOrders(c, { fromDate: run.fromDate, limit });
      let submitted = 0;
      await Promise.all(
        page.resources.map(async (order) => {
          // One order OTTO sends in a shape we cannot read must not block every later order: parked.
          const mapped = await this.parked.mapOrPark(c, this.read(order));
          if (!mapped) return;
          const hash = orderContentHash(mapped);
          if (!this.handedIn.isNew(c.id, order.salesOrderId, hash)) return;
          await this.inbox.submitOrder(c, mapped);
          this.handedIn.remember(c.id, order.salesOrderId, hash, order.lastModifiedDate);
          submitted += 1;
          if (parkedIds.has(mapped.externalId)) await this.parked.store.release(c.id, mapped.externalId);
        }),
      );
      this.metrics.ordersSubmitted.inc({ connector: 'otto' }, submitted);
      for (const order of page.resources) {
        if (order.lastModifiedDate && (!run.maxSeen || Date.parse(order.lastModifiedDate) > Date.parse(run.maxSeen))) {
          run.maxSeen = new Date(order.lastModifiedDate).toISOString();
        }
      }
      run.pages += 1;
      const next = nextCursorOf(page.links);
      if (next) {
        run.cursor = next;
        checkpoint = { ...checkpoint, run: { ...run } };
      } else {
        checkpoint = { ...checkpoint, fromDate: nextFromDate(run, this.config.OTTO_OVERLAP_SECONDS * 1000), run: undefined };
      }
      // After every page: a crash resumes at the next page, never before the last one handed in.
      await this.checkpoints.put(c.id, checkpoint);
      if (!next) {
        this.handedIn.forgetBefore(c.id, checkpoint.fromDate);
        return checkpoint;
      }
    }
  }

  private read(order: OttoOrder): ChannelOrderRead {
    return { externalId: order.salesOrderId, orderNumber: order.orderNumber, map: () => this.mapper.map(order) };
  }
}

/** A retried order is handed in through JetStream; this long the retry waits for the orders service to store it. */
const RETRY_STORE_WAIT_MS = 10_000;
