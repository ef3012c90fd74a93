import { ArticleInputSchema, ArticleSchema, Rpc, StockEntrySchema } from '@orderhub/contracts';
import { z } from 'zod';
import { IdParams, defineRoute, named, pageOf } from './route';
import { callOrders } from './rpc-call';

const Article = named('Article', ArticleSchema);
const ArticlePage = named('ArticlePage', pageOf(ArticleSchema));
const ArticleInput = named('ArticleInput', ArticleInputSchema);
export const SetStockSchema = z.object({ stock: z.array(StockEntrySchema).min(1) });

const listArticles = defineRoute({
  operationId: 'listArticles',
  method: 'GET',
  path: '/articles',
  tag: 'Articles',
  summary: 'Articles of the account, paged by cursor',
  query: z.object({
    sku: z.string().max(200).optional().describe('Only the article with this SKU'),
    cursor: z.string().max(500).optional().describe('`nextCursor` of the previous page'),
    limit: z.coerce.number().int().min(1).max(500).default(100).describe('Page size, 1..500'),
  }),
  response: { status: 200, description: 'A page of articles', schema: ArticlePage },
  problems: [],
  async handle(ctx) {
    return { body: await callOrders(ctx, Rpc.articlesList, 'articlesList', ctx.query) };
  },
});

const getArticle = defineRoute({
  operationId: 'getArticle',
  method: 'GET',
  path: '/articles/{id}',
  tag: 'Articles',
  summary: 'One article',
  params: IdParams,
  response: { status: 200, description: 'The article', schema: Article },
  problems: [404],
  async handle(ctx) {
    return { body: await callOrders(ctx, Rpc.articlesGet, 'articlesGet', { articleId: ctx.params.id }) };
  },
});

const createArticle = defineRoute({
  operationId: 'createArticle',
  method: 'POST',
  path: '/articles',
  tag: 'Articles',
  summary: 'Create an article (bundles list their components, WEM-3)',
  body: { ...ArticleInput, required: true },
  response: { status: 201, description: 'The new article', schema: Article },
  problems: [409, 422],
  async handle(ctx) {
    const article = await callOrders<{ id: string }>(ctx, Rpc.articlesUpsert, 'articlesUpsert', ctx.body);
    return { status: 201, body: article, headers: { Location: `/api/v1/articles/${article.id}` } };
  },
});

const replaceArticle = defineRoute({
  operationId: 'replaceArticle',
  method: 'PUT',
  path: '/articles/{id}',
  tag: 'Articles',
  summary: 'Replace an existing article',
  params: IdParams,
  body: { ...ArticleInput, required: true },
  response: { status: 200, description: 'The changed article', schema: Article },
  problems: [404, 409, 422],
  async handle(ctx) {
    return { body: await callOrders(ctx, Rpc.articlesUpsert, 'articlesUpsert', { ...ctx.body, articleId: ctx.params.id }) };
  },
});

const setStock = defineRoute({
  operationId: 'setArticleStock',
  method: 'PUT',
  path: '/articles/{id}/stock',
  tag: 'Articles',
  summary: 'Set the stock per storage location (synchronised to channels that can take it, OTTO-12)',
  params: IdParams,
  body: { ...named('SetStockRequest', SetStockSchema), required: true },
  response: { status: 200, description: 'The article with its new stock', schema: Article },
  problems: [404, 422],
  async handle(ctx) {
    return { body: await callOrders(ctx, Rpc.articlesSetStock, 'articlesSetStock', { ...ctx.body, articleId: ctx.params.id }) };
  },
});

export const articleRoutes = [listArticles, getArticle, createArticle, replaceArticle, setStock];
