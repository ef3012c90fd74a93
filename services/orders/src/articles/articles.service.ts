import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  type Article,
  type ArticleInput,
  ArticleInputSchema,
  type OrderPosition,
  type Page,
  ProblemError,
  Subjects,
  type RpcRequestOf,
} from '@orderhub/contracts';
import { isDuplicateKey } from '@orderhub/platform';
import { type OutboxEntry, outboxEntry } from '../infrastructure/outbox';
import { ArticleOutboxRelay } from '../infrastructure/outbox-relay';
import { ArticleRepository, ArticleVersionConflict } from './article.repository';
import { withinReplyBudget } from '../application/reply-budget';

const INPUT_FIELDS = Object.keys(ArticleInputSchema.shape) as (keyof ArticleInput)[];
const MAX_ATTEMPTS = 10;
/** How long a remembered SKU → article id is used without reading the article. */
const SKU_TRUST_MS = 60_000;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Articles per account: upserts by id, SKU or channel id; every change leaves through the outbox. */
@Injectable()
export class ArticlesService {
  constructor(
    @Inject(ArticleRepository) private readonly articles: ArticleRepository,
    @Inject(ArticleOutboxRelay) private readonly relay: ArticleOutboxRelay,
  ) {}

  async list({ accountId, body }: RpcRequestOf<'articlesList'>): Promise<Page<Article>> {
    const afterId = body.cursor ? Buffer.from(body.cursor, 'base64url').toString('utf8') : undefined;
    const items = await this.articles.page(accountId, afterId, body.limit + 1, body.sku);
    // a page that would not fit into one reply (1 MB NATS message) ends early; its cursor goes on from there
    const { taken: page, cut } = withinReplyBudget(items.slice(0, body.limit));
    const last = page[page.length - 1];
    return (cut || items.length > body.limit) && last
      ? { items: page, nextCursor: Buffer.from(last.id).toString('base64url') }
      : { items: page };
  }

  async get(accountId: string, articleId: string): Promise<Article> {
    const article = await this.articles.byId(accountId, articleId);
    if (!article) throw ProblemError.notFound('article');
    return article;
  }

  /**
   * With an id: replaces that article. Without: creates one, and an SKU the account already uses is a
   * 409 naming the article (never an overwrite: that would also empty its stock).
   */
  async upsert({ accountId, body }: RpcRequestOf<'articlesUpsert'>): Promise<Article> {
    const { articleId, ...input } = body;
    await this.assertComponentsExist(accountId, input.bundleComponents, articleId);
    if (!articleId) return this.create(accountId, input);
    return this.write(accountId, input, async () => {
      const found = await this.articles.byId(accountId, articleId);
      if (!found) throw ProblemError.notFound('article');
      return found;
    });
  }

  /** Positions and bundles may only point at articles of the same account that exist. */
  async assertArticlesExist(accountId: string, refs: { path: string; articleId: string }[]): Promise<void> {
    const errors: { path: string; message: string }[] = [];
    const known = new Map<string, boolean>();
    for (const { path, articleId } of refs) {
      if (!known.has(articleId)) known.set(articleId, (await this.articles.byId(accountId, articleId)) !== undefined);
      if (!known.get(articleId)) errors.push({ path, message: `no article ${articleId} in this account` });
    }
    if (errors.length) throw ProblemError.validation(errors, 'The request refers to articles that do not exist in this account');
  }

  private async assertComponentsExist(accountId: string, components: ArticleInput['bundleComponents'], articleId?: string): Promise<void> {
    const selfReference = components.findIndex((c) => c.articleId === articleId);
    if (articleId && selfReference >= 0) {
      throw ProblemError.validation([{ path: `bundleComponents[${selfReference}].articleId`, message: 'a bundle cannot contain itself' }]);
    }
    await this.assertArticlesExist(
      accountId,
      components.map((c, i) => ({ path: `bundleComponents[${i}].articleId`, articleId: c.articleId })),
    );
  }

  private async create(accountId: string, input: ArticleInput): Promise<Article> {
    const existing = input.sku ? await this.articles.bySku(accountId, input.sku) : undefined;
    if (existing) throw skuTaken(input.sku as string, existing.id);
    try {
      return await this.write(accountId, input, () => Promise.resolve(undefined), { createOnly: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const winner = await this.articles.bySku(accountId, input.sku as string);
      throw skuTaken(input.sku as string, winner?.id);
    }
  }

  /** From a connector (`channel.article.import`): matched by SKU, else by the channel's id; stock stays the hub's. */
  async importFromChannel(accountId: string, input: ArticleInput): Promise<Article> {
    return this.write(
      accountId,
      input,
      async () =>
        (input.sku ? await this.articles.bySku(accountId, input.sku) : undefined) ??
        (input.externalId ? await this.articles.byExternalId(accountId, input.externalId) : undefined),
      { keepStock: true },
    );
  }

  async setStock({ accountId, body }: RpcRequestOf<'articlesSetStock'>): Promise<Article> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.get(accountId, body.articleId);
      const next: Article = { ...current, stock: body.stock, version: current.version + 1, updatedAt: new Date().toISOString() };
      const totalQuantity = body.stock.reduce((sum, s) => sum + s.quantity, 0);
      const outbox = [
        outboxEntry(Subjects.articleStockChanged, {
          accountId,
          data: {
            articleId: next.id,
            ...(next.sku ? { sku: next.sku } : {}),
            ...(next.ean ? { ean: next.ean } : {}),
            stock: next.stock,
            totalQuantity,
          },
        }),
      ];
      try {
        await this.articles.save(next, current, outbox);
        this.relay.nudge();
        return next;
      } catch (err) {
        if (!(err instanceof ArticleVersionConflict)) throw err;
      }
    }
    throw ProblemError.conflict('article keeps changing, try again');
  }

  /**
   * JIM-3: only positions with a SKU are linked to an article, created from the position if new. A
   * link the channel sent itself is kept only when it names an article of this account.
   */
  async linkPositions(accountId: string, positions: OrderPosition[], currency: string): Promise<OrderPosition[]> {
    const [linked] = await this.linkPositionsOfOrders(accountId, [{ positions, currency }]);
    return linked ?? positions;
  }

  /**
   * JIM-3 for a batch of orders of one account: each SKU is looked up once for the batch, and not
   * at all while this process knows it (SKU → article id for `SKU_TRUST_MS`; this process's own
   * article writes update it at once).
   */
  async linkPositionsOfOrders(accountId: string, orders: { positions: OrderPosition[]; currency: string }[]): Promise<OrderPosition[][]> {
    orders = await Promise.all(orders.map(async (o) => ({ ...o, positions: await this.withoutForeignLinks(accountId, o.positions) })));
    const ids = new Map<string, string>();
    for (const { positions, currency } of orders) {
      for (const p of positions) {
        if (!p.sku || ids.has(p.sku)) continue;
        const known = this.knownSku(accountId, p.sku);
        if (known) {
          ids.set(p.sku, known);
          continue;
        }
        const existing = await this.findBySku(accountId, p.sku);
        const article =
          existing ??
          (await this.write(
            accountId,
            ArticleInputSchema.parse({
              sku: p.sku,
              ean: p.ean,
              title: p.title || p.sku,
              price: p.unitPrice >= 0 ? p.unitPrice : undefined,
              currency: p.currency ?? currency,
            }),
            () => this.articles.bySku(accountId, p.sku as string),
          ));
        ids.set(p.sku, article.id);
        this.rememberSku(accountId, p.sku, article.id);
      }
    }
    return orders.map(({ positions }) => positions.map((p) => (p.sku && ids.get(p.sku) ? { ...p, articleId: ids.get(p.sku) } : p)));
  }

  private async withoutForeignLinks(accountId: string, positions: OrderPosition[]): Promise<OrderPosition[]> {
    if (!positions.some((p) => p.articleId)) return positions;
    const owned = new Map<string, boolean>();
    for (const id of new Set(positions.map((p) => p.articleId).filter((id): id is string => !!id))) {
      owned.set(id, (await this.articles.byId(accountId, id)) !== undefined);
    }
    return positions.map((p) => {
      if (!p.articleId || owned.get(p.articleId)) return p;
      const { articleId: _foreign, ...unlinked } = p;
      return unlinked;
    });
  }

  /**
   * SKU → article id, remembered per process: every imported position looks its SKU up, and a
   * remembered id saves the `article_skus` read. Within `SKU_TRUST_MS` of learning it the id is used
   * as it is (an SKU moved to another article on another replica links to the old one meanwhile);
   * after that it is used only while that article still has the SKU (the article is read).
   */
  private readonly skuToId = new Map<string, { articleId: string; at: number }>();

  private knownSku(accountId: string, sku: string): string | undefined {
    const known = this.skuToId.get(`${accountId}\n${sku}`);
    return known && Date.now() - known.at < SKU_TRUST_MS ? known.articleId : undefined;
  }

  private async findBySku(accountId: string, sku: string): Promise<Article | undefined> {
    const key = `${accountId}\n${sku}`;
    const knownId = this.skuToId.get(key)?.articleId;
    if (knownId) {
      const known = await this.articles.byId(accountId, knownId);
      if (known?.sku === sku) return known;
      this.skuToId.delete(key);
    }
    return this.articles.bySku(accountId, sku);
  }

  private rememberSku(accountId: string, sku: string, articleId: string): void {
    if (this.skuToId.size >= 50_000) this.skuToId.delete(this.skuToId.keys().next().value as string);
    this.skuToId.set(`${accountId}\n${sku}`, { articleId, at: Date.now() });
  }

  private async write(
    accountId: string,
    input: ArticleInput,
    locate: () => Promise<Article | undefined>,
    options: { keepStock?: boolean; createOnly?: boolean } = {},
  ): Promise<Article> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await locate();
      const now = new Date().toISOString();
      if (!current) {
        const article: Article = { ...input, id: randomUUID(), accountId, version: 1, createdAt: now, updatedAt: now };
        try {
          await this.articles.insert(article, [
            this.changed(
              article,
              true,
              INPUT_FIELDS.filter((f) => input[f] !== undefined),
            ),
          ]);
          this.relay.nudge();
          if (article.sku) this.rememberSku(accountId, article.sku, article.id);
          return article;
        } catch (err) {
          if (isDuplicateKey(err) && options.createOnly) throw err;
          if (isDuplicateKey(err) && input.sku) {
            // created meanwhile by another import: update it once its creator has finished
            await sleep(10 * (attempt + 1));
            continue;
          }
          if (isDuplicateKey(err)) throw ProblemError.conflict('an article with this SKU exists');
          throw err;
        }
      }
      const next: Article = {
        ...current,
        ...input,
        id: current.id,
        accountId,
        version: current.version + 1,
        createdAt: current.createdAt,
        updatedAt: now,
      };
      if (options.keepStock) next.stock = current.stock;
      const changedFields = INPUT_FIELDS.filter((f) => !same(current[f], next[f]));
      if (!changedFields.length) return current;
      try {
        await this.articles.save(next, current, [this.changed(next, false, changedFields)]);
        this.relay.nudge();
        if (current.sku !== next.sku) {
          if (current.sku) this.skuToId.delete(`${accountId}\n${current.sku}`);
          if (next.sku) this.rememberSku(accountId, next.sku, next.id);
        }
        return next;
      } catch (err) {
        if (isDuplicateKey(err)) throw ProblemError.conflict('another article has this SKU');
        if (!(err instanceof ArticleVersionConflict)) throw err;
      }
    }
    throw ProblemError.conflict('article keeps changing, try again');
  }

  private changed(article: Article, created: boolean, changedFields: string[]): OutboxEntry {
    return outboxEntry(Subjects.articleChanged, { accountId: article.accountId, data: { article, created, changedFields } });
  }
}

function skuTaken(sku: string, articleId: string | undefined): ProblemError {
  const which = articleId ? ` (article ${articleId}); change it with PUT /articles/${articleId}` : '';
  return ProblemError.conflict(`An article with SKU "${sku}" exists${which}.`);
}
