import type { KV } from '@nats-io/kv';
import type { Msg, Subscription } from '@nats-io/nats-core';
import {
  type BreakerState,
  type ConnectionHealth,
  ConnectionHealthRequestSchema,
  ConnectorHealth,
  type ConnectionType,
} from '@orderhub/contracts';
import { errorReply, type NatsClient, okReply } from '@orderhub/platform';
import type { Logger } from 'pino';
import type { Connection } from './connection-registry';
import type { ConnectorMetrics } from './connector-metrics';

const KEY_PREFIX = 'health.';

/**
 * Each connection's health (last success, last error with time and reason, consecutive failures),
 * shared by the replicas in the connector's KV bucket and answered on `ConnectorHealth[type]` for the
 * API. Metrics stay bounded: the number of failing connections and the longest running failure per
 * connector; which connections fail is the API's answer, never a label.
 */
export class ConnectionHealthBook {
  private readonly local = new Map<string, ConnectionHealth>();
  private subscription?: Subscription;

  constructor(
    private readonly type: ConnectionType,
    private readonly kv: KV,
    private readonly metrics: ConnectorMetrics,
    private readonly logger: Logger,
    /** The breaker in front of a connection's API in this replica (the one that just polled or wrote back). */
    private readonly breakerOf: (connectionId: string) => BreakerState | undefined = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  start(nats: NatsClient, service: string): void {
    this.subscription = nats.nc.subscribe(nats.names.subject(ConnectorHealth[this.type]), {
      queue: service,
      callback: (err, msg) => {
        if (!err) void this.answer(msg);
      },
    });
  }

  stop(): void {
    this.subscription?.unsubscribe();
  }

  async succeeded(connection: Pick<Connection, 'id' | 'accountId'>): Promise<void> {
    const previous = await this.current(connection);
    const at = new Date(this.now()).toISOString();
    await this.save({
      ...previous,
      lastSuccessAt: at,
      consecutiveFailures: 0,
      failingSince: undefined,
      breaker: this.breakerOf(connection.id) ?? previous.breaker,
    });
  }

  async failed(connection: Pick<Connection, 'id' | 'accountId'>, reason: string): Promise<void> {
    const previous = await this.current(connection);
    const at = new Date(this.now()).toISOString();
    await this.save({
      ...previous,
      lastError: { at, reason: reason.slice(0, 500) },
      consecutiveFailures: previous.consecutiveFailures + 1,
      failingSince: previous.failingSince ?? at,
      breaker: this.breakerOf(connection.id) ?? previous.breaker,
    });
  }

  async of(connectionId: string): Promise<ConnectionHealth | undefined> {
    const entry = await this.kv.get(`${KEY_PREFIX}${connectionId}`).catch(() => null);
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return undefined;
    return entry.json<ConnectionHealth>();
  }

  /** Updates the bounded gauges from what this replica has seen. */
  refreshGauges(): void {
    let failing = 0;
    let longestMs = 0;
    for (const h of this.local.values()) {
      if (h.consecutiveFailures === 0 || !h.failingSince) continue;
      failing += 1;
      longestMs = Math.max(longestMs, this.now() - Date.parse(h.failingSince));
    }
    this.metrics.failingConnections.set({ connector: this.type }, failing);
    this.metrics.longestFailure.set({ connector: this.type }, longestMs / 1000);
  }

  private async current(connection: Pick<Connection, 'id' | 'accountId'>): Promise<ConnectionHealth> {
    const known = this.local.get(connection.id) ?? (await this.of(connection.id));
    return known ?? { connectionId: connection.id, accountId: connection.accountId, type: this.type, consecutiveFailures: 0 };
  }

  private async save(health: ConnectionHealth): Promise<void> {
    this.local.set(health.connectionId, health);
    this.refreshGauges();
    try {
      await this.kv.put(`${KEY_PREFIX}${health.connectionId}`, JSON.stringify(health));
    } catch (err) {
      // Health is for people looking; losing one update must not fail the poll or write-back.
      this.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not record connection health');
    }
  }

  private async answer(msg: Msg): Promise<void> {
    try {
      const request = ConnectionHealthRequestSchema.parse(msg.json());
      const found: ConnectionHealth[] = [];
      const keys = request.connectionId ? [`${KEY_PREFIX}${request.connectionId}`] : await collect(await this.kv.keys(`${KEY_PREFIX}*`));
      for (const key of keys) {
        const health = await this.of(key.slice(KEY_PREFIX.length));
        if (health && health.accountId === request.accountId) found.push(health);
      }
      msg.respond(JSON.stringify(okReply(found)));
    } catch (err) {
      msg.respond(JSON.stringify(errorReply(err)));
    }
  }
}

async function collect(keys: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const key of keys) all.push(key);
  return all;
}
