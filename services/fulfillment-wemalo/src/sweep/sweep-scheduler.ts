import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConnectionDirectory, ConnectorMetrics, LeaseKeeper, PollScheduler } from '@orderhub/connector-kit';
import { LOGGER } from '@orderhub/platform';
import { WEMALO_CONFIG, type WemaloConfig } from '../config';
import { WemaloSweep } from './wemalo-sweep';

/** Runs the sweeps: each connection on exactly one replica (leases), on its own interval. */
@Injectable()
export class SweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly scheduler: PollScheduler;

  constructor(
    @Inject(ConnectionDirectory) directory: ConnectionDirectory,
    @Inject(LeaseKeeper) leases: LeaseKeeper,
    @Inject(WemaloSweep) sweep: WemaloSweep,
    @Inject(ConnectorMetrics) metrics: ConnectorMetrics,
    @Inject(LOGGER) logger: Logger,
    @Inject(WEMALO_CONFIG) config: WemaloConfig,
  ) {
    this.scheduler = new PollScheduler('wemalo', directory, leases, sweep, metrics, logger, {
      tickMs: config.POLL_TICK_MS,
      refreshMs: config.CONNECTION_REFRESH_MS,
    });
  }

  onApplicationBootstrap(): void {
    this.scheduler.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
  }

  pollSoon(connectionId: string): void {
    this.scheduler.pollSoon(connectionId);
  }
}
