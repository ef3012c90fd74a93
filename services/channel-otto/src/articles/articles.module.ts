import { Controller, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Logger } from 'pino';
import { allowsHubToChannel, ArticleStockChangedEvent, type ArticleStockChanged, Subjects } from '@orderhub/contracts';
import { ConnectorMetrics, OrdersInbox } from '@orderhub/connector-kit';
import { LOGGER } from '@orderhub/platform';
import { ApiClientModule } from '../api-client/api-client.module';
import { OttoApiClient } from '../api-client/otto-api-client';
import { OTTO_CONFIG, type OttoConfig } from '../config';
import { ConnectionRegistry } from '../connections/connection-registry';
import { ConnectionsModule } from '../connections/connections.module';
import { ArticleImporter } from './article-importer';
import { StockPusher } from './stock-pusher';

@Controller()
export class StockController implements OnApplicationShutdown {
  constructor(
    @Inject(StockPusher) private readonly pusher: StockPusher,
    @Inject(ConnectionRegistry) private readonly registry: ConnectionRegistry,
  ) {}

  /**
   * OTTO-12: hub stock → OTTO, absolute quantities, for every OTTO connection of the account whose
   * sync direction sends hub changes (CONN-4). Many messages in flight at once so they share batches.
   */
  @EventPattern(Subjects.articleStockChanged, {
    durable: 'channel-otto-stock',
    schema: ArticleStockChangedEvent,
    concurrency: 200,
    maxDeliver: 10,
    backoffMs: [1_000, 5_000, 15_000, 30_000, 60_000],
  })
  async onStockChanged(@Payload() event: ArticleStockChanged): Promise<void> {
    const sku = event.data.sku;
    if (!sku) return; // an article without SKU cannot exist at OTTO
    const targets = (await this.registry.ofAccount(event.accountId)).filter(
      (c) => c.settings.active && allowsHubToChannel(c.settings.syncDirection),
    );
    await Promise.all(targets.map((c) => this.pusher.push(c, sku, event.data.totalQuantity, event.occurredAt)));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pusher.flushAll();
  }
}

@Module({
  imports: [ApiClientModule, ConnectionsModule],
  controllers: [StockController],
  providers: [
    {
      provide: ArticleImporter,
      inject: [OttoApiClient, OrdersInbox, LOGGER],
      useFactory: (api: OttoApiClient, inbox: OrdersInbox, logger: Logger) => new ArticleImporter(api, inbox, logger),
    },
    {
      provide: StockPusher,
      inject: [OttoApiClient, ConnectorMetrics, LOGGER, OTTO_CONFIG],
      useFactory: (api: OttoApiClient, metrics: ConnectorMetrics, logger: Logger, config: OttoConfig) =>
        new StockPusher(api, metrics, logger, config.OTTO_STOCK_BATCH_MS),
    },
  ],
  exports: [ArticleImporter],
})
export class ArticlesModule {}
