import { Controller, Get, Inject, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { KvWatchInclude, type KV } from '@nats-io/kv';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ConnectorTriggers } from '@orderhub/contracts';
import {
  CheckpointStore,
  ConnectionDirectory,
  CONNECTOR_KV,
  ConnectorMetrics,
  LeaseKeeper,
  OrdersInbox,
  PollScheduler,
} from '@orderhub/connector-kit';
import { LOGGER } from '@orderhub/platform';
import { ApiClientModule } from '../api-client/api-client.module';
import { OttoApiClient } from '../api-client/otto-api-client';
import { ArticleImporter } from '../articles/article-importer';
import { ArticlesModule } from '../articles/articles.module';
import { OTTO_CONFIG, type OttoConfig } from '../config';
import { MappingModule } from '../mapping/mapping.module';
import { OttoOrderMapper } from '../mapping/otto-order-mapper';
import type { ImportCheckpoint } from './import-checkpoint';
import { OrderImportTarget } from './order-import.target';

const TriggerRequestSchema = z.object({
  type: z.string().optional(),
  connectionId: z.string().min(1),
  accountId: z.string().optional(),
});

/**
 * Starts polling once the app is up and stops it before NATS drains: the poll in hand finishes and
 * the leases are handed back, so another replica takes over at once. Also relays on-demand triggers:
 * the RPC reaches one replica, the KV key reaches all, and the one holding the lease polls.
 */
class PollLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private watching?: { stop(): void };

  constructor(
    private readonly scheduler: PollScheduler,
    private readonly kv: KV,
    private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.scheduler.start();
    const watch = await this.kv.watch({ key: 'trigger.*', include: KvWatchInclude.UpdatesOnly });
    this.watching = watch;
    void (async () => {
      for await (const entry of watch) {
        if (entry.operation === 'PUT') this.scheduler.pollSoon(entry.key.slice('trigger.'.length));
      }
    })().catch((err: unknown) => this.logger.warn({ err }, 'trigger watch ended'));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.watching?.stop();
    await this.scheduler.stop();
  }
}

@Controller()
export class ImportController {
  constructor(
    @Inject(PollScheduler) private readonly scheduler: PollScheduler,
    @Inject(CONNECTOR_KV) private readonly kv: KV,
    @Inject(LeaseKeeper) private readonly leases: LeaseKeeper,
  ) {}

  /** On-demand import ("sync now") for an OTTO connection. */
  @MessagePattern(ConnectorTriggers.otto, { schema: TriggerRequestSchema })
  async trigger(@Payload() request: z.infer<typeof TriggerRequestSchema>): Promise<{ accepted: true; connectionId: string }> {
    this.scheduler.pollSoon(request.connectionId);
    await this.kv.put(`trigger.${request.connectionId.replace(/[^A-Za-z0-9_-]/g, '_')}`, JSON.stringify({ at: Date.now() }));
    return { accepted: true, connectionId: request.connectionId };
  }

  /** Which connections this replica polls right now (operations and the lease tests). */
  @Get('connector/leases')
  leasesHeld(): { replica: string; connections: string[] } {
    return { replica: this.leases.owner, connections: this.scheduler.heldConnections() };
  }
}

@Module({
  imports: [ApiClientModule, MappingModule, ArticlesModule],
  controllers: [ImportController],
  providers: [
    {
      provide: OrderImportTarget,
      inject: [OttoApiClient, OttoOrderMapper, OrdersInbox, CONNECTOR_KV, ArticleImporter, ConnectorMetrics, LOGGER, OTTO_CONFIG],
      useFactory: (
        api: OttoApiClient,
        mapper: OttoOrderMapper,
        inbox: OrdersInbox,
        kv: KV,
        articles: ArticleImporter,
        metrics: ConnectorMetrics,
        logger: Logger,
        config: OttoConfig,
      ) => new OrderImportTarget(api, mapper, inbox, new CheckpointStore<ImportCheckpoint>(kv), articles, metrics, logger, config),
    },
    {
      provide: PollScheduler,
      inject: [ConnectionDirectory, LeaseKeeper, OrderImportTarget, ConnectorMetrics, LOGGER, OTTO_CONFIG],
      useFactory: (
        directory: ConnectionDirectory,
        leases: LeaseKeeper,
        target: OrderImportTarget,
        metrics: ConnectorMetrics,
        logger: Logger,
        config: OttoConfig,
      ) =>
        new PollScheduler('otto', directory, leases, target, metrics, logger, {
          tickMs: config.POLL_TICK_MS,
          refreshMs: config.CONNECTION_REFRESH_MS,
        }),
    },
    {
      provide: PollLifecycle,
      inject: [PollScheduler, CONNECTOR_KV, LOGGER],
      useFactory: (scheduler: PollScheduler, kv: KV, logger: Logger) => new PollLifecycle(scheduler, kv, logger),
    },
  ],
})
export class ImportModule {}
