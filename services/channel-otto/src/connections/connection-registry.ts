import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConnectionDirectory } from '@orderhub/connector-kit';
import { LOGGER } from '@orderhub/platform';
import { OTTO_CONFIG, type OttoConfig } from '../config';
import { type OttoConnection, toOttoConnection } from './otto-connection';

/**
 * The OTTO connections for event handlers (write-back, stock), cached for CONNECTION_REFRESH_MS.
 * A miss reloads at once (a connection created a moment ago), but at most once a second.
 */
@Injectable()
export class ConnectionRegistry {
  private cache: OttoConnection[] = [];
  private loadedAt = 0;
  private loading?: Promise<OttoConnection[]>;

  constructor(
    @Inject(ConnectionDirectory) private readonly directory: ConnectionDirectory,
    @Inject(OTTO_CONFIG) private readonly config: OttoConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async byId(connectionId: string): Promise<OttoConnection | undefined> {
    const found = (await this.all()).find((c) => c.id === connectionId);
    if (found || Date.now() - this.loadedAt < 1_000) return found;
    return (await this.all(true)).find((c) => c.id === connectionId);
  }

  async ofAccount(accountId: string): Promise<OttoConnection[]> {
    return (await this.all()).filter((c) => c.accountId === accountId);
  }

  async all(force = false): Promise<OttoConnection[]> {
    if (!force && Date.now() - this.loadedAt < this.config.CONNECTION_REFRESH_MS) return this.cache;
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(): Promise<OttoConnection[]> {
    const parsed: OttoConnection[] = [];
    for (const raw of await this.directory.list()) {
      const c = toOttoConnection(raw);
      if ('error' in c) this.logger.warn({ connectionId: raw.id, problem: c.error }, 'OTTO connection skipped');
      else parsed.push(c);
    }
    this.cache = parsed;
    this.loadedAt = Date.now();
    return parsed;
  }
}
