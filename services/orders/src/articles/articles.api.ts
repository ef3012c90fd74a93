import { Controller, Inject } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import type { z } from 'zod';
import { type ChannelArticleImport, ChannelArticleImportCommand, Rpc, RpcRequests, Subjects } from '@orderhub/contracts';
import { enrichContext } from '@orderhub/platform';
import { ArticlesService } from './articles.service';

type Req<K extends keyof typeof RpcRequests> = z.infer<(typeof RpcRequests)[K]>;

@Controller()
export class ArticlesApi {
  constructor(@Inject(ArticlesService) private readonly articles: ArticlesService) {}

  @MessagePattern(Rpc.articlesList, { schema: RpcRequests.articlesList })
  list(@Payload() req: Req<'articlesList'>) {
    return this.articles.list(req);
  }

  @MessagePattern(Rpc.articlesGet, { schema: RpcRequests.articlesGet })
  get(@Payload() req: Req<'articlesGet'>) {
    return this.articles.get(req.accountId, req.body.articleId);
  }

  @MessagePattern(Rpc.articlesUpsert, { schema: RpcRequests.articlesUpsert })
  upsert(@Payload() req: Req<'articlesUpsert'>) {
    return this.articles.upsert(req);
  }

  @MessagePattern(Rpc.articlesSetStock, { schema: RpcRequests.articlesSetStock })
  setStock(@Payload() req: Req<'articlesSetStock'>) {
    return this.articles.setStock(req);
  }

  @EventPattern(Subjects.channelArticleImport, { durable: 'orders_article_import', schema: ChannelArticleImportCommand, concurrency: 4 })
  async onArticleImport(@Payload() cmd: ChannelArticleImport): Promise<void> {
    enrichContext({ accountId: cmd.accountId, connectionId: cmd.data.connectionId });
    await this.articles.importFromChannel(cmd.accountId, cmd.data.article);
  }
}
