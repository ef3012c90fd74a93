import { Module } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import type { Logger } from 'pino';
import {
  CheckpointStore,
  CONNECTOR_KV,
  ConnectorMetrics,
  OrdersInbox,
  ParkedOrderDesk,
  PollScheduler,
  pollingProviders,
} from '@orderhub/connector-kit';
import { LOGGER } from '@orderhub/platform';
import { ArticleImporter } from '../articles/article-importer';
import { ArticlesModule } from '../articles/articles.module';
import { ClientsModule } from '../clients/clients.module';
import { OttoApiClient } from '../clients/otto-api-client';
import { OTTO_CONFIG, type OttoConfig } from '../config';
import { MappingModule } from '../mapping/mapping.module';
import { OttoOrderMapper } from '../mapping/otto-order-mapper';
import type { OttoConnection } from '../connections/otto-connection';
import type { ImportCheckpoint } from './import-checkpoint';
import { OrderImportTarget } from './order-import.target';

/** OTTO → hub: each connection polled on its interval, on one replica, and at once on "sync now". */
@Module({
  imports: [ClientsModule, MappingModule, ArticlesModule],
  providers: [
    {
      provide: OrderImportTarget,
      inject: [
        OttoApiClient,
        OttoOrderMapper,
        OrdersInbox,
        ParkedOrderDesk,
        CONNECTOR_KV,
        ArticleImporter,
        ConnectorMetrics,
        LOGGER,
        OTTO_CONFIG,
      ],
      useFactory: (
        api: OttoApiClient,
        mapper: OttoOrderMapper,
        inbox: OrdersInbox,
        parked: ParkedOrderDesk<OttoConnection>,
        kv: KV,
        articles: ArticleImporter,
        metrics: ConnectorMetrics,
        logger: Logger,
        config: OttoConfig,
      ) => new OrderImportTarget(api, mapper, inbox, parked, new CheckpointStore<ImportCheckpoint>(kv), articles, metrics, logger, config),
    },
    ...pollingProviders(OrderImportTarget),
  ],
  exports: [PollScheduler],
})
export class ImportModule {}
