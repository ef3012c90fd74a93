import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Durables, Subjects } from '@orderhub/contracts';
import { LOGGER, NatsClient } from '@orderhub/platform';
import type { Logger } from 'pino';
import { importSpoolDir, MAIL_CONFIG, type MailIngestConfig } from '../config';
import { ImportJobStore } from './import-job-store';

export const SPOOL_SUFFIX = '.upload';

/**
 * Import jobs never stay `running` after their process died: at start and every IMPORT_JOB_SWEEP_MS,
 * jobs whose lease ran out are failed with the reason (or completed, if every order had been handed
 * in and the orders service has stored them since), and spool files that no live job uses are
 * removed (several processes may share a spool directory on one machine, so a file is removed only
 * when its job is not live and the file is older than a lease: an upload still streaming has no job yet).
 */
@Injectable()
export class AbandonedJobsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    @Inject(ImportJobStore) private readonly jobs: ImportJobStore,
    @Inject(MAIL_CONFIG) private readonly config: MailIngestConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(NatsClient) private readonly nats: NatsClient,
  ) {}

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.config.IMPORT_JOB_SWEEP_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  sweep(): Promise<void> {
    this.sweeping ??= this.run()
      .catch((err: unknown) => this.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'import job sweep failed'))
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async run(): Promise<void> {
    const failed = await this.jobs.failAbandoned();
    if (failed) this.logger.warn({ jobs: failed }, 'interrupted import jobs failed');
    const acknowledged = await this.nats
      .acknowledgedThrough(Subjects.channelOrderImport, Durables.ordersOrderImport)
      .catch(() => undefined);
    const completed = acknowledged === undefined ? 0 : await this.jobs.completeStored(acknowledged);
    if (completed) this.logger.info({ jobs: completed }, 'import jobs of a stopped process completed: their orders are stored');
    const dir = importSpoolDir(this.config);
    const files = await readdir(dir).catch(() => [] as string[]);
    const cutoff = Date.now() - this.config.IMPORT_JOB_LEASE_MS;
    for (const name of files) {
      if (!name.endsWith(SPOOL_SUFFIX)) continue;
      const path = join(dir, name);
      const info = await stat(path).catch(() => undefined);
      if (!info || info.mtimeMs > cutoff) continue;
      if (await this.jobs.isLive(name.slice(0, -SPOOL_SUFFIX.length))) continue;
      await rm(path, { force: true });
      this.logger.info({ file: name }, 'leftover import spool file removed');
    }
  }
}
