import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConnectorMetrics, OrdersInbox } from '@orderhub/connector-kit';
import { LOGGER } from '@orderhub/platform';
import { ClientsModule } from '../clients/clients.module';
import { OttoApiClient } from '../clients/otto-api-client';
import { OTTO_CONFIG, type OttoConfig } from '../config';
import { ArticleImporter } from './article-importer';
import { StockPusher } from './stock-pusher';

/** OTTO products in as articles, hub stock out (OTTO-12). */
@Module({
  imports: [ClientsModule],
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
  exports: [ArticleImporter, StockPusher],
})
export class ArticlesModule {}
