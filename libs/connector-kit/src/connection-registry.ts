import {
  type ConnectionChangedNotice,
  ConnectionChangedNoticeSchema,
  type ConnectionType,
  Notices,
  type SyncDirection,
} from '@orderhub/contracts';
import { type NatsClient, onNotice } from '@orderhub/platform';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { ConnectionDirectory } from './connection-directory';

/** Settings every connection has (CONN-4). */
export interface CommonSettings {
  name: string;
  active: boolean;
  syncDirection: SyncDirection;
  importOrders: boolean;
  pollIntervalSeconds: number;
}

/** What a connector declares about its connections: the type and the zod schemas of settings and secrets. */
export interface ConnectorDefinition<TSettings extends CommonSettings = CommonSettings, TSecrets = Record<string, unknown>> {
  type: ConnectionType;
  settings: z.ZodType<TSettings, unknown>;
  secrets: z.ZodType<TSecrets, unknown>;
}

export const defineConnector = <TSettings extends CommonSettings, TSecrets>(definition: ConnectorDefinition<TSettings, TSecrets>) =>
  definition;

/** A connection with its settings parsed (defaults applied) and its secrets decrypted and parsed. */
export interface Connection<TSettings extends CommonSettings = CommonSettings, TSecrets = Record<string, unknown>> {
  id: string;
  accountId: string;
  type: ConnectionType;
  settings: TSettings;
  secrets: TSecrets;
}

export type ConnectionOf<D> = D extends ConnectorDefinition<infer S, infer K> ? Connection<S, K> : never;

export interface RegistryOptions {
  /** Backstop refresh: notices are not guaranteed to arrive (core NATS), so the list is re-read this often. */
  refreshMs: number;
  /** An unknown id re-reads the list, but at most this often (a flood of unknown ids must not hammer the orders service). */
  missRefreshMinMs: number;
}

/**
 * The one connection cache of a connector: loaded once, reloaded when the orders service announces
 * a change (`connection.changed`) and on a slow backstop timer, never per message. Only active
 * connections are kept; one whose settings or secrets do not parse is left out and logged (without its secrets).
 */
export class ConnectionRegistry<C extends Connection = Connection> {
  private byIdMap = new Map<string, C>();
  private loadedAt = 0;
  private loading?: Promise<void>;
  private loadedOnce = false;
  private reachable = false;
  private subscription?: { unsubscribe(): void };
  private timer?: NodeJS.Timeout;
  private readonly listeners: ((notice: ConnectionChangedNotice) => void)[] = [];

  constructor(
    private readonly directory: ConnectionDirectory,
    private readonly definition: ConnectorDefinition<C['settings'], C['secrets']>,
    private readonly logger: Logger,
    private readonly options: RegistryOptions,
    private readonly now: () => number = Date.now,
  ) {}

  get type(): ConnectionType {
    return this.definition.type;
  }

  /** Subscribes to change notices and starts the backstop timer; the first load happens at once. */
  start(nats: NatsClient): void {
    this.subscription = onNotice(nats, Notices.connectionChanged, ConnectionChangedNoticeSchema, (notice) => {
      if (notice.type !== this.definition.type) return;
      void this.reload().catch(() => undefined);
      for (const listener of this.listeners) listener(notice);
    });
    this.timer = setInterval(() => void this.reload().catch(() => undefined), this.options.refreshMs);
    this.timer.unref();
    void this.reload().catch(() => undefined);
  }

  stop(): void {
    this.subscription?.unsubscribe();
    if (this.timer) clearInterval(this.timer);
  }

  /** Called with every change notice of this connector's type (after the reload has started). */
  onChange(listener: (notice: ConnectionChangedNotice) => void): void {
    this.listeners.push(listener);
  }

  /** False while the last read of the list failed (the cached list is still served). */
  get directoryReachable(): boolean {
    return this.reachable;
  }

  async all(): Promise<C[]> {
    if (!this.loadedOnce) await this.reload();
    return [...this.byIdMap.values()];
  }

  /** The cached connection, without asking anyone. */
  cached(connectionId: string): C | undefined {
    return this.byIdMap.get(connectionId);
  }

  /**
   * A connection by id. A miss re-reads the list (after waiting out the miss rate limit rather than
   * skipping it), so "no such connection" is never based on an old list.
   */
  async byId(connectionId: string): Promise<C | undefined> {
    if (!this.loadedOnce) await this.reload().catch(() => undefined);
    const hit = this.byIdMap.get(connectionId);
    if (hit) return hit;
    const wait = this.loadedAt + this.options.missRefreshMinMs - this.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await this.reload().catch(() => undefined);
    return this.byIdMap.get(connectionId);
  }

  async ofAccount(accountId: string): Promise<C[]> {
    return (await this.all()).filter((c) => c.accountId === accountId);
  }

  /** Waits for a read of the list in progress (e.g. one a change notice started), without starting one. */
  async settled(): Promise<void> {
    await this.loading?.catch(() => undefined);
  }

  /** Reads the list again; concurrent callers share one read. */
  reload(): Promise<void> {
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(): Promise<void> {
    this.loadedAt = this.now();
    try {
      const next = new Map<string, C>();
      for (const raw of await this.directory.list()) {
        const settings = this.definition.settings.safeParse(raw.settings);
        const secrets = this.definition.secrets.safeParse(raw.secrets);
        if (!settings.success || !secrets.success) {
          const problem = settings.success ? 'secrets do not match the schema' : settings.error.issues.map((i) => i.message).join('; ');
          this.logger.warn({ connectionId: raw.id, problem }, `${this.definition.type} connection skipped`);
          continue;
        }
        if (!settings.data.active) continue;
        next.set(raw.id, { id: raw.id, accountId: raw.accountId, type: raw.type, settings: settings.data, secrets: secrets.data } as C);
      }
      this.byIdMap = next;
      this.reachable = true;
      this.loadedOnce = true;
    } catch (err) {
      // Keep the last known list: the orders service being away must not make every connection unknown.
      this.reachable = false;
      this.logger.warn({ err: err instanceof Error ? err.message : String(err) }, `could not read the ${this.definition.type} connections`);
      throw err;
    }
  }
}
