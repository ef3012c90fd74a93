import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Msg, Subscription } from '@nats-io/nats-core';
import { ConnectionTypeSchema, ConnectorTriggers } from '@orderhub/contracts';
import { ConnectionDirectory, ConnectorMetrics, LeaseKeeper, PollScheduler } from '@orderhub/connector-kit';
import { LOGGER, NatsClient } from '@orderhub/platform';
import type { Logger } from 'pino';
import { z } from 'zod';
import { SERVERSPOT_CONFIG, type ServerspotConfig } from '../config';
import { OrderImport } from './order-import';

const TriggerSchema = z.object({ accountId: z.string().optional(), connectionId: z.string(), type: ConnectionTypeSchema });

/**
 * Runs the poll scheduler for the Serverspot import and answers `ConnectorTriggers.serverspot` for type
 * 'serverspot' (on-demand sync → pollSoon). Other connectors listen on the same subject in their own
 * queue groups, so this one stays silent for other types instead of answering for them.
 * Shutdown stops the scheduler first (finish the poll in hand, give the leases back), before NATS drains.
 */
@Injectable()
export class ImportScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly scheduler: PollScheduler;
  private subscription?: Subscription;

  constructor(
    @Inject(ConnectionDirectory) directory: ConnectionDirectory,
    @Inject(LeaseKeeper) leases: LeaseKeeper,
    @Inject(OrderImport) private readonly target: OrderImport,
    @Inject(ConnectorMetrics) metrics: ConnectorMetrics,
    @Inject(NatsClient) private readonly nats: NatsClient,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SERVERSPOT_CONFIG) config: ServerspotConfig,
  ) {
    this.scheduler = new PollScheduler('serverspot', directory, leases, target, metrics, logger, {
      tickMs: config.POLL_TICK_MS,
      refreshMs: config.CONNECTION_REFRESH_MS,
    });
  }

  onApplicationBootstrap(): void {
    this.target.onRepollNeeded((connectionId) => this.scheduler.pollSoon(connectionId));
    this.subscription = this.nats.nc.subscribe(this.nats.names.subject(ConnectorTriggers.serverspot), {
      queue: 'channel-serverspot',
      callback: (err, msg) => {
        if (!err) this.onTrigger(msg);
      },
    });
    this.scheduler.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.subscription?.unsubscribe();
    await this.scheduler.stop();
  }

  private onTrigger(msg: Msg): void {
    let request: z.infer<typeof TriggerSchema>;
    try {
      request = TriggerSchema.parse(msg.json());
    } catch {
      return;
    }
    if (request.type !== 'serverspot') return;
    this.scheduler.pollSoon(request.connectionId);
    this.target.requestArticles(request.connectionId);
    this.logger.info({ connectionId: request.connectionId }, 'sync requested');
    if (msg.reply) msg.respond(JSON.stringify({ ok: true, data: { accepted: true, connectionId: request.connectionId } }));
  }
}
