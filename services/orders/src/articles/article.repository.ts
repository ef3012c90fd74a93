import type { mongo } from 'mongoose';
import type { Article, ArticleInput } from '@orderhub/contracts';
import type { OutboxEntry, OutboxFields } from '../infrastructure/outbox';
import { emptyOutbox, outboxUpdate } from '../infrastructure/outbox';
import { plain, TenantCollection } from '../infrastructure/tenant-collection';

export type ArticleDoc = Omit<Article, 'id'> &
  OutboxFields & {
    _id: string;
    /** The SKU, or a per-article placeholder: FerretDB has no partial unique index for "unique if set". */
    skuKey: string;
  };

export const skuKeyOf = (sku: string | undefined, id: string) => (sku ? `sku:${sku}` : `none:${id}`);

export class ArticleVersionConflict extends Error {}

export class ArticleRepository extends TenantCollection<ArticleDoc> {
  constructor(collection: mongo.Collection<ArticleDoc>) {
    super(collection);
  }

  static toArticle(doc: ArticleDoc): Article {
    const { _id, skuKey: _s, outbox: _o, outboxDirty: _d, outboxClaimedUntil: _c, outboxClaimedBy: _b, ...rest } = doc;
    return { ...rest, id: _id };
  }

  async byId(accountId: string, id: string): Promise<Article | undefined> {
    const doc = await this.findOne(accountId, { _id: id }, { projection: { outbox: 0 } });
    return doc ? ArticleRepository.toArticle(doc) : undefined;
  }

  async bySku(accountId: string, sku: string): Promise<Article | undefined> {
    const doc = await this.findOne(accountId, { skuKey: skuKeyOf(sku, '') }, { projection: { outbox: 0 } });
    return doc ? ArticleRepository.toArticle(doc) : undefined;
  }

  async byExternalId(accountId: string, externalId: string): Promise<Article | undefined> {
    const doc = await this.findOne(accountId, { externalId }, { projection: { outbox: 0 } });
    return doc ? ArticleRepository.toArticle(doc) : undefined;
  }

  async page(accountId: string, afterId: string | undefined, limit: number, sku?: string): Promise<Article[]> {
    const filter: Record<string, unknown> = {};
    if (afterId) filter._id = { $gt: afterId };
    if (sku) filter.skuKey = skuKeyOf(sku, '');
    const docs = await this.find(accountId, filter, { sort: { _id: 1 }, limit, projection: { outbox: 0 } }).toArray();
    return docs.map((d) => ArticleRepository.toArticle(d));
  }

  /** Raises E11000 when the SKU is taken in this account. */
  async insert(article: Article, outbox: OutboxEntry[]): Promise<void> {
    const { id, ...rest } = plain(article);
    await this.insertOne(article.accountId, { ...rest, _id: id, skuKey: skuKeyOf(article.sku, id), ...emptyOutbox(outbox) });
  }

  /** Same optimistic pattern as orders: guarded by the loaded version, outbox in the same update. */
  async save(article: Article, loadedVersion: number, outbox: OutboxEntry[]): Promise<void> {
    const { id, accountId, version: _v, createdAt: _c, ...fields } = article;
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
    if (!(await this.updateOne(accountId, { _id: id, version: loadedVersion }, update))) throw new ArticleVersionConflict();
  }
}
