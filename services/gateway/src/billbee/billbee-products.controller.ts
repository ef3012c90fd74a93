import { Body, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import {
  type Article,
  billbeeError,
  billbeeIdFor,
  billbeePage,
  billbeeResult,
  type BillbeeUpdateStock,
  BillbeeUpdateStockBody,
  normalizeQuery,
  ProblemError,
  storageLocationIdFor,
  toBillbeeArticle,
} from '@orderhub/contracts';
import type { Request } from 'express';
import type { Caller } from '../auth/api-key-authenticator';
import { BillbeeCaller } from './billbee-auth.guard';
import { BillbeeHub } from './billbee-hub';
import { BillbeeController, pagingOf, parseBody, queryOf } from './billbee-http';

@BillbeeController('products')
export class BillbeeProductsController {
  constructor(@Inject(BillbeeHub) private readonly hub: BillbeeHub) {}

  @Get()
  @ApiOperation({ summary: 'Billbee: paged articles with stock per storage location' })
  @ApiResponse({ status: 200, description: 'ApiPagedResult<ArticleApiModel[]>' })
  async list(@BillbeeCaller() caller: Caller, @Req() req: Request) {
    const { page, pageSize } = pagingOf(req);
    const all = await this.hub.allArticles(caller);
    const items = all.slice((page - 1) * pageSize, page * pageSize).map(toBillbeeArticle);
    return billbeePage(items, page, pageSize, all.length);
  }

  @Post('updatestock')
  @HttpCode(200)
  @ApiOperation({ summary: 'Billbee: set the absolute stock of one article (by Sku or BillbeeId) in one storage location (StockId)' })
  @ApiResponse({ status: 200, description: 'ApiResult<UpdateStockResponseData>' })
  async updateStock(@BillbeeCaller() caller: Caller, @Body() body: unknown) {
    return billbeeResult(await this.setStock(caller, parseBody(BillbeeUpdateStockBody, body)));
  }

  @Post('updatestockmultiple')
  @HttpCode(200)
  @ApiOperation({ summary: 'Billbee: updatestock for many articles; one ApiResult per row, in order' })
  @ApiResponse({ status: 200, description: 'ApiResult<UpdateStockResponseData>[]' })
  async updateStockMultiple(@BillbeeCaller() caller: Caller, @Body() body: unknown) {
    if (!Array.isArray(body)) throw ProblemError.validation([{ path: '(root)', message: 'an array of UpdateStockApiModel' }]);
    const results = [];
    for (const row of body as unknown[]) {
      const parsed = BillbeeUpdateStockBody.safeParse(row);
      if (!parsed.success) {
        results.push(billbeeError('InvalidRequest', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')));
        continue;
      }
      try {
        results.push(billbeeResult(await this.setStock(caller, parsed.data)));
      } catch (err) {
        if (!(err instanceof ProblemError)) throw err;
        results.push(billbeeError(err.problem.status === 404 ? 'NotFoundError' : 'GeneralError', err.problem.detail ?? err.problem.title));
      }
    }
    return results;
  }

  @Get(':id')
  @ApiOperation({ summary: 'Billbee: one article; lookupBy=id (default), sku or ean' })
  @ApiResponse({ status: 200, description: 'ApiResult<ArticleApiModel>' })
  async get(@BillbeeCaller() caller: Caller, @Param('id') id: string, @Req() req: Request) {
    const lookupBy = normalizeQuery(queryOf(req)).get('lookupby')?.[0] ?? 'id';
    return billbeeResult(toBillbeeArticle(await this.hub.article(caller, id, lookupBy)));
  }

  /** NewQuantity is absolute, for one storage location; the article's other locations keep theirs. */
  private async setStock(caller: Caller, row: BillbeeUpdateStock) {
    let article: Article;
    if (row.Sku) article = await this.hub.article(caller, row.Sku, 'sku');
    else article = await this.hub.article(caller, String(row.BillbeeId), 'id');
    const location = storageLocationIdFor(row.StockId);
    const old = article.stock.find((s) => s.storageLocationId === location)?.quantity ?? 0;
    const quantity = Math.round(row.NewQuantity);
    const stock = [...article.stock.filter((s) => s.storageLocationId !== location), { storageLocationId: location, quantity }];
    await this.hub.rpc.call(caller, 'articlesSetStock', { articleId: article.id, stock });
    return {
      SKU: article.sku ?? null,
      OldStock: old,
      CurrentStock: quantity,
      UnfulfilledAmount: 0,
      Message: `The qty was successfully updated from ${old} to ${quantity}`,
      BillbeeId: billbeeIdFor('article', article.id),
    };
  }
}
