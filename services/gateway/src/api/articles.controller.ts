import { Body, Controller, Get, Inject, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Caller } from '../auth/api-key-authenticator';
import { ApiKeyAuth, CurrentCaller } from '../auth/api-key.guard';
import { TenantRpc } from '../clients/tenant-rpc.client';
import { Answers } from '../http/answers';
import { ApiProblems } from '../http/openapi';
import { ArticleDto, ArticleInput, ArticlePageDto, IdParams, ListArticlesQuery, SetStockRequest } from './dto';

@ApiTags('Articles')
@ApiKeyAuth()
@Controller('api/v1/articles')
export class ArticlesController {
  constructor(@Inject(TenantRpc) private readonly rpc: TenantRpc) {}

  @Get()
  @ApiOperation({ summary: 'Articles of the account, paged by cursor' })
  @Answers(200, 'A page of articles', ArticlePageDto)
  listArticles(@CurrentCaller() caller: Caller, @Query() query: ListArticlesQuery) {
    return this.rpc.call(caller, 'articlesList', query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One article' })
  @Answers(200, 'The article', ArticleDto)
  @ApiProblems(404)
  getArticle(@CurrentCaller() caller: Caller, @Param() { id }: IdParams) {
    return this.rpc.call(caller, 'articlesGet', { articleId: id });
  }

  @Post()
  @ApiOperation({ summary: 'Create an article (bundles list their components, WEM-3)' })
  @Answers(201, 'The new article; `Location` points at it', ArticleDto)
  @ApiProblems(409, 422)
  async createArticle(@CurrentCaller() caller: Caller, @Body() body: ArticleInput, @Res({ passthrough: true }) res: Response) {
    const article = await this.rpc.call(caller, 'articlesUpsert', body, `/api/v1/articles?sku=${encodeURIComponent(body.sku ?? '')}`);
    res.location(`/api/v1/articles/${article.id}`);
    return article;
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace an existing article' })
  @Answers(200, 'The changed article', ArticleDto)
  @ApiProblems(404, 409, 422)
  replaceArticle(@CurrentCaller() caller: Caller, @Param() { id }: IdParams, @Body() body: ArticleInput) {
    return this.rpc.call(caller, 'articlesUpsert', { ...body, articleId: id }, `/api/v1/articles/${id}`);
  }

  @Put(':id/stock')
  @ApiOperation({ summary: 'Set the stock per storage location (synchronised to channels that can take it, OTTO-12)' })
  @Answers(200, 'The article with its new stock', ArticleDto)
  @ApiProblems(404, 422)
  setArticleStock(@CurrentCaller() caller: Caller, @Param() { id }: IdParams, @Body() body: SetStockRequest) {
    return this.rpc.call(caller, 'articlesSetStock', { ...body, articleId: id }, `/api/v1/articles/${id}`);
  }
}
