import type { mongo } from 'mongoose';
import type { Article, ArticleInput } from '@orderhub/contracts';
import type { OutboxEntry, OutboxFields, OutboxMarkers } from '../infrastructure/outbox';
import { emptyOutbox, outboxUpdate } from '../infrastructure/outbox';
import { isDuplicateKey, type RevisionGuard } from '@orderhub/platform';
import { plain, TenantCollection } from '../infrastructure/tenant-collection';

export type ArticleDoc = Omit<Article, 'id'> &
  OutboxFields & {
    _id: string;
    /** The SKU, or a per-article placeholder: FerretDB has no partial unique index for "unique if set". */
    skuKey: string;
  };

export const skuKeyOf = (sku: string | undefined, id: string) => (sku ? `sku:${sku}` : `none:${id}`);

/**
 * SKU → article id per account, keyed by `_id`: on FerretDB v1 a query on `skuKey` scans every
 * article (it uses indexes only for `_id`), and imports look SKUs up for every position. The entry is
 * written before the article, so its unique `_id` also decides a race between two creators.
 */
export interface SkuIndexDoc {
  _id: string;
  articleId: string;
  at: Date;
}

const skuIndexId = (accountId: string, sku: string) => `${accountId}\n${sku}`;
/**
 * An entry whose article never appeared (its creator crashed, or the database went away in between)
 * is removed after this: meanwhile every import of that SKU waits, and a database restart under load
 * left entries that held imports until their redeliveries ran out (30 s was too long).
 */
const STALE_SKU_ENTRY_MS = 10_000;

export { VersionConflict as ArticleVersionConflict } from '@orderhub/platform';

export class ArticleRepository extends TenantCollection<ArticleDoc> {
  private readonly loadedRev = new WeakMap<Article, number>();

  constructor(
    collection: mongo.Collection<ArticleDoc>,
    private readonly guard: RevisionGuard,
    private readonly markers: OutboxMarkers,
    private readonly skus: mongo.Collection<SkuIndexDoc>,
  ) {
    super(collection);
  }

  private toArticle(doc: ArticleDoc): Article {
    const { _id, skuKey: _s, outbox: _o, outboxDirty: _d, rev, ...rest } = doc;
    const article = { ...rest, id: _id };
    this.loadedRev.set(article, rev ?? 0);
    return article;
  }

  async byId(accountId: string, id: string): Promise<Article | undefined> {
    const doc = await this.findOne(accountId, { _id: id }, { projection: { outbox: 0 } });
    return doc ? this.toArticle(doc) : undefined;
  }

  async bySku(accountId: string, sku: string): Promise<Article | undefined> {
    const entry = await this.skus.findOne({ _id: skuIndexId(accountId, sku) });
    if (!entry) return undefined;
    const article = await this.byId(accountId, entry.articleId);
    if (article?.sku === sku) return article;
    if (Date.now() - entry.at.getTime() > STALE_SKU_ENTRY_MS) await this.skus.deleteOne({ _id: entry._id });
    return undefined;
  }

  async byExternalId(accountId: string, externalId: string): Promise<Article | undefined> {
    const doc = await this.findOne(accountId, { externalId }, { projection: { outbox: 0 } });
    return doc ? this.toArticle(doc) : undefined;
  }

  async page(accountId: string, afterId: string | undefined, limit: number, sku?: string): Promise<Article[]> {
    const filter: Record<string, unknown> = {};
    if (afterId) filter._id = { $gt: afterId };
    if (sku) filter.skuKey = skuKeyOf(sku, '');
    const docs = await this.find(accountId, filter, { sort: { _id: 1 }, limit, projection: { outbox: 0 } }).toArray();
    return docs.map((d) => this.toArticle(d));
  }

  /** Raises E11000 when the SKU is taken in this account. */
  async insert(article: Article, outbox: OutboxEntry[]): Promise<void> {
    const { id, ...rest } = plain(article);
    if (article.sku) await this.skus.insertOne({ _id: skuIndexId(article.accountId, article.sku), articleId: id, at: new Date() });
    try {
      await this.insertOne(article.accountId, { ...rest, _id: id, skuKey: skuKeyOf(article.sku, id), ...emptyOutbox(outbox) });
    } catch (err) {
      // Only a refused insert is known not to be written; after any other failure the article may
      // exist, and without its entry its SKU could never be found again.
      if (article.sku && isDuplicateKey(err)) await this.settleRefusedSkuEntry(article.accountId, article.sku, id);
      throw err;
    }
    if (outbox.length) await this.markers.mark(id, 'article');
  }

  /**
   * The article store refused an article whose SKU entry was just written: another article holds the
   * SKU without an entry of its own (its entry was lost, or removed as stale while its creator was
   * slow). The entry is pointed at that article, so the caller's next lookup finds it; otherwise every
   * later import of the SKU would be refused the same way. A scan of the account's articles on
   * FerretDB, but only on this rare path.
   */
  private async settleRefusedSkuEntry(accountId: string, sku: string, refusedId: string): Promise<void> {
    const entry = { _id: skuIndexId(accountId, sku), articleId: refusedId };
    const holder = await this.findOne(accountId, { skuKey: skuKeyOf(sku, refusedId) }, { projection: { _id: 1 } });
    if (holder) await this.skus.updateOne(entry, { $set: { articleId: holder._id, at: new Date() } });
    else await this.skus.deleteOne(entry);
  }

  /** Same optimistic pattern as orders: guarded by the loaded version, outbox in the same update. */
  async save(article: Article, loaded: Article, outbox: OutboxEntry[]): Promise<void> {
    const rev = this.loadedRev.get(loaded);
    if (rev === undefined) throw new Error('save() needs an article loaded by this repository');
    const { id, accountId: _a, version: _v, createdAt: _c, ...fields } = article;
    const $set: Record<string, unknown> = { skuKey: skuKeyOf(article.sku, id) };
    const $unset: Record<string, ''> = {};
    for (const [k, v] of Object.entries(fields) as [keyof ArticleInput, unknown][]) {
      if (v === undefined) $unset[k] = '';
      else $set[k] = plain(v);
    }
    for (const k of ['sku', 'ean', 'price', 'dimensions', 'externalId'] as const) if (article[k] === undefined) $unset[k] = '';
    const box = outboxUpdate(outbox);
    const update: Record<string, unknown> = { $set: { ...$set, ...box.set }, $inc: { version: 1 } };
    if (Object.keys($unset).length) update.$unset = $unset;
    if (outbox.length) update.$push = box.push;
    const skuChanged = article.sku !== loaded.sku;
    if (skuChanged && article.sku)
      await this.skus.insertOne({ _id: skuIndexId(article.accountId, article.sku), articleId: id, at: new Date() });
    try {
      // By `_id` alone (FerretDB's fast path): the article was loaded through the account check.
      await this.guard.update(this.collection as never, { _id: id }, rev, update);
    } catch (err) {
      if (skuChanged && article.sku) await this.skus.deleteOne({ _id: skuIndexId(article.accountId, article.sku), articleId: id });
      throw err;
    }
    if (skuChanged && loaded.sku) await this.skus.deleteOne({ _id: skuIndexId(article.accountId, loaded.sku), articleId: id });
    if (outbox.length) await this.markers.mark(id, 'article');
  }
}
