import { Controller, Inject } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { type ChannelArticleImport, ChannelArticleImportCommand, Rpc, RpcRequests, Subjects, type RpcRequestOf } from '@orderhub/contracts';
import { enrichContext } from '@orderhub/platform';
import { ArticlesService } from './articles.service';

@Controller()
export class ArticlesApi {
  constructor(@Inject(ArticlesService) private readonly articles: ArticlesService) {}

  @MessagePattern(Rpc.articlesList, { schema: RpcRequests.articlesList })
  list(@Payload() req: RpcRequestOf<'articlesList'>) {
    return this.articles.list(req);
  }

  @MessagePattern(Rpc.articlesGet, { schema: RpcRequests.articlesGet })
  get(@Payload() req: RpcRequestOf<'articlesGet'>) {
    return this.articles.get(req.accountId, req.body.articleId);
  }

  @MessagePattern(Rpc.articlesUpsert, { schema: RpcRequests.articlesUpsert })
  upsert(@Payload() req: RpcRequestOf<'articlesUpsert'>) {
    return this.articles.upsert(req);
  }

  @MessagePattern(Rpc.articlesSetStock, { schema: RpcRequests.articlesSetStock })
  setStock(@Payload() req: RpcRequestOf<'articlesSetStock'>) {
    return this.articles.setStock(req);
  }

  @EventPattern(Subjects.channelArticleImport, { durable: 'orders_article_import', schema: ChannelArticleImportCommand, concurrency: 4 })
  async onArticleImport(@Payload() cmd: ChannelArticleImport): Promise<void> {
    enrichContext({ accountId: cmd.accountId, connectionId: cmd.data.connectionId });
    await this.articles.importFromChannel(cmd.accountId, cmd.data.article);
  }
}
