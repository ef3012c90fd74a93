import { Inject, Injectable } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import type { Logger } from 'pino';
import { CONNECTOR_KV, contentHash } from '@orderhub/connector-kit';
import { type Article, type Page, Rpc } from '@orderhub/contracts';
import { LOGGER, RpcClient } from '@orderhub/platform';
import { WEMALO_CONFIG, type WemaloConfig } from '../config';
import { ACTOR, type WemaloConnection } from '../connections/wemalo-connection';
import { WemaloClients } from '../clients/wemalo-clients';
import type { WemaloClient } from '../clients/wemalo-client';
import { WemaloApiError } from '../clients/wemalo-errors';
import type { WemaloProductInput } from '../clients/wemalo-types';
import { WemaloMetrics } from '../clients/wemalo-metrics';
import { kvToken, ProductReportStore } from './product-report';

interface TransferredProduct {
  hash: string;
  sku: string;
  ean: string;
  at: string;
}

export type ProductOutcome = 'added' | 'updated' | 'unchanged' | 'missing_identifier' | 'conflict' | 'bundle_skipped';

const PRODUCT_GROUP = 'orderhub';

/**
 * WEM-3: every hub article goes to wemalo with SKU and EAN; articles lacking one are reported, not
 * sent; a change to an SKU/EAN another wemalo product holds is reported as a conflict (the other
 * changes still go through); dimensions only on the first transfer; bundles stay in the hub and only
 * their sub-articles are sent. The article id is wemalo's externalId, so goods-order positions match.
 */
@Injectable()
export class ProductSyncService {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(CONNECTOR_KV) private readonly kv: KV,
    @Inject(ProductReportStore) private readonly reports: ProductReportStore,
    @Inject(WemaloClients) private readonly clients: WemaloClients,
    @Inject(WemaloMetrics) private readonly metrics: WemaloMetrics,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(WEMALO_CONFIG) private readonly config: WemaloConfig,
  ) {}

  /** The sweep: all articles of the account, page by page. */
  async sweep(connection: WemaloConnection): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    const client = this.clients.for(connection);
    let cursor: string | undefined;
    do {
      const page = await this.rpc.call<Page<Article>>(Rpc.articlesList, {
        accountId: connection.accountId,
        actor: ACTOR,
        body: { limit: Math.min(this.config.WEMALO_SWEEP_PAGE_SIZE * 5, 500), ...(cursor ? { cursor } : {}) },
      });
      for (const article of page.items) {
        const outcome = await this.transfer(connection, client, article, false);
        counts[outcome] = (counts[outcome] ?? 0) + 1;
      }
      cursor = page.nextCursor;
    } while (cursor);
    return counts;
  }

  async getArticle(accountId: string, articleId: string): Promise<Article> {
    return this.rpc.call<Article>(Rpc.articlesGet, { accountId, actor: ACTOR, body: { articleId } });
  }

  /** One article (from `article.changed`, the sweep, or before a goods order needs it). */
  async transfer(connection: WemaloConnection, client: WemaloClient, article: Article, force: boolean, depth = 0): Promise<ProductOutcome> {
    if (article.bundleComponents.length > 0) {
      // The bundle itself never reaches wemalo; its parts must, so goods orders can be resolved.
      if (depth < 3) {
        for (const component of article.bundleComponents) {
          const part = await this.getArticle(connection.accountId, component.articleId);
          await this.transfer(connection, client, part, force, depth + 1);
        }
      }
      this.metrics.products.inc({ outcome: 'bundle_skipped' });
      return 'bundle_skipped';
    }
    const sku = article.sku?.trim();
    const ean = article.ean?.trim();
    if (!sku || !ean) {
      const missing = [!sku && 'SKU', !ean && 'EAN'].filter(Boolean).join(' and ');
      await this.reports.record(connection.id, {
        articleId: article.id,
        title: article.title,
        ...(sku ? { sku } : {}),
        ...(ean ? { ean } : {}),
        kind: 'missing_identifier',
        detail: `not sent to wemalo: ${missing} missing (WEM-3)`,
        at: new Date().toISOString(),
      });
      this.metrics.products.inc({ outcome: 'missing_identifier' });
      this.log.warn({ connectionId: connection.id, articleId: article.id, missing }, 'article not sent to wemalo: SKU/EAN missing (WEM-3)');
      return 'missing_identifier';
    }

    const master = { externalId: article.id, sku, ean, name: article.title, productGroup: PRODUCT_GROUP, ...price(article) };
    const hash = contentHash(master);
    const stateKey = `product.${connection.id}.${kvToken(article.id)}`;
    const stored = await this.readState(stateKey);
    if (stored?.hash === hash && !force) {
      this.metrics.products.inc({ outcome: 'unchanged' });
      return 'unchanged';
    }

    let outcome: ProductOutcome;
    try {
      outcome = stored ? await this.update(client, master, article) : await this.add(client, master, article);
    } catch (err) {
      if (!(err instanceof WemaloApiError) || !isIdentifierTaken(err)) throw err;
      await this.reportConflict(connection, client, article, master, err);
      return 'conflict';
    }
    await this.kv.put(stateKey, JSON.stringify({ hash, sku, ean, at: new Date().toISOString() } satisfies TransferredProduct));
    await this.reports.clear(connection.id, article.id);
    this.metrics.products.inc({ outcome });
    return outcome;
  }

  /** First transfer: with dimensions. wemalo may know the product already (our state was lost): then update. */
  private async add(client: WemaloClient, master: WemaloProductInput, article: Article): Promise<ProductOutcome> {
    try {
      await client.addProduct({ ...master, ...dimensions(article) });
      return 'added';
    } catch (err) {
      if (err instanceof WemaloApiError && err.type === 'DUPLICATE' && err.field === 'externalId') {
        await client.updateProduct(master.externalId, master);
        return 'updated';
      }
      throw err;
    }
  }

  /** A change: never the dimensions (WEM-3); a product wemalo lost is added again. */
  private async update(client: WemaloClient, master: WemaloProductInput, article: Article): Promise<ProductOutcome> {
    try {
      await client.updateProduct(master.externalId, master);
      return 'updated';
    } catch (err) {
      if (err instanceof WemaloApiError && err.notFound) return this.add(client, master, article);
      throw err;
    }
  }

  private async reportConflict(
    connection: WemaloConnection,
    client: WemaloClient,
    article: Article,
    master: WemaloProductInput,
    err: WemaloApiError,
  ): Promise<void> {
    await this.reports.record(connection.id, {
      articleId: article.id,
      title: article.title,
      sku: master.sku,
      ...(master.ean ? { ean: master.ean } : {}),
      kind: 'conflict',
      detail: `wemalo refused ${err.field ?? 'the identifier'}: ${err.message} (WEM-3)`,
      at: new Date().toISOString(),
    });
    this.metrics.products.inc({ outcome: 'conflict' });
    this.log.warn({ connectionId: connection.id, articleId: article.id, field: err.field }, 'SKU/EAN already used at wemalo (WEM-3)');
    // The other changes are still taken over: send them without the refused identifiers.
    const { sku: _sku, ean: _ean, ...rest } = master;
    await client.updateProduct(master.externalId, rest).catch(() => undefined);
  }

  private async readState(key: string): Promise<TransferredProduct | undefined> {
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return undefined;
    return entry.json<TransferredProduct>();
  }
}

function isIdentifierTaken(err: WemaloApiError): boolean {
  return err.status === 400 && err.type === 'INVALID' && (err.field === 'sku' || err.field === 'ean');
}

function price(article: Article): Pick<WemaloProductInput, 'salesPrice'> {
  return article.price !== undefined ? { salesPrice: article.price } : {};
}

function dimensions(article: Article): Partial<WemaloProductInput> {
  const d = article.dimensions;
  if (!d) return {};
  return {
    ...(d.lengthCm !== undefined ? { depth: d.lengthCm } : {}),
    ...(d.widthCm !== undefined ? { width: d.widthCm } : {}),
    ...(d.heightCm !== undefined ? { height: d.heightCm } : {}),
    ...(d.weightGrams !== undefined ? { grossWeight: d.weightGrams } : {}),
  };
}
