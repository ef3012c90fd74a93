import { mongo } from 'mongoose';
import type { Logger } from 'pino';
import type { ReadinessRegistry } from '../health/readiness';
import { withTimeout } from '../health/readiness';

export interface MongoWedgeWatchOptions {
  intervalMs: number;
  /** How long the own connection may fail before a fresh client is asked whether the database is up. */
  afterMs: number;
}

/**
 * Safety net for a MongoDB driver that never recovers from a database restart (see MongoModule):
 * when the service's own connection keeps failing for `afterMs` while a fresh client reaches the
 * database the whole time, the process is marked stuck and liveness fails, so it is restarted. While
 * the database itself is down the clock does not run (restarting would not help), and after a pause
 * the own pool gets `afterMs` to work off what piled up meanwhile. A ping that succeeds again clears
 * the mark: liveness recovers by itself.
 */
export class MongoWedgeWatch {
  private timer?: NodeJS.Timeout;
  private failingSince?: number;
  /** Since when a fresh client has answered while the own connection kept failing. */
  private othersAnswerSince?: number;
  private marked = false;
  private checking = false;

  constructor(
    private readonly ping: () => Promise<unknown>,
    private readonly url: string,
    private readonly registry: ReadinessRegistry,
    private readonly logger: Logger,
    private readonly options: MongoWedgeWatchOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.check(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      await withTimeout(this.ping(), 2_000, 'mongo ping');
      this.recovered();
    } catch {
      const now = Date.now();
      this.failingSince ??= now;
      if (!(await this.databaseAnswersOthers())) {
        this.othersAnswerSince = undefined;
        return;
      }
      this.othersAnswerSince ??= now;
      if (!this.marked && now - this.othersAnswerSince >= this.options.afterMs) {
        this.marked = true;
        this.logger.error({ failingForMs: now - this.failingSince }, 'MongoDB connection stuck while the database answers: restart needed');
        this.registry.markStuck('mongo', 'connection fails while the database answers a new client');
      }
    } finally {
      this.checking = false;
    }
  }

  private recovered(): void {
    if (this.marked) {
      this.logger.warn({ failedForMs: Date.now() - (this.failingSince ?? Date.now()) }, 'MongoDB connection works again: no longer stuck');
      this.registry.clearStuck('mongo');
      this.marked = false;
    }
    this.failingSince = undefined;
    this.othersAnswerSince = undefined;
  }

  private async databaseAnswersOthers(): Promise<boolean> {
    const fresh = new mongo.MongoClient(this.url, { serverSelectionTimeoutMS: 3_000, maxPoolSize: 1 });
    try {
      await fresh.db().admin().ping();
      return true;
    } catch {
      return false;
    } finally {
      await fresh.close().catch(() => undefined);
    }
  }
}
