import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { runInContext } from '@orderhub/platform';
import type { Connection, ConnectionRegistry } from './connection-registry';
import type { ConnectionHealthBook } from './connection-health';
import type { ConnectorMetrics } from './connector-metrics';
import type { LeaseKeeper } from './lease-keeper';

/** `pollAgainSoon`: the poll left work behind (e.g. orders not yet persisted), so poll at the next tick. */
export type PollResult = { pollAgainSoon: true } | undefined;

export interface PollTarget<C extends Connection = Connection> {
  /** Seconds between polls of this connection; default: its `pollIntervalSeconds` setting. */
  intervalSeconds?(connection: C): number;
  /** Whether this connection should be polled at all (import on, sync direction …). */
  wants(connection: C): boolean;
  poll(connection: C): Promise<PollResult | void>;
}

/** Rendezvous hashing: every replica computes the same preferred owner without talking to the others. */
export function preferredReplica(resource: string, replicas: string[]): string | undefined {
  let best: string | undefined;
  let bestScore = '';
  for (const replica of replicas) {
    const score = createHash('sha1').update(`${replica}|${resource}`).digest('hex');
    if (score > bestScore) {
      bestScore = score;
      best = replica;
    }
  }
  return best;
}

/**
 * Polls each connection on its own schedule, on exactly one replica: leases make it exclusive,
 * rendezvous hashing spreads connections over the live replicas, and a replica that holds a
 * connection another live replica prefers hands it over (rebalancing on scale-out).
 */
export class PollScheduler<C extends Connection = Connection> {
  private timer?: NodeJS.Timeout;
  private connections: C[] = [];
  private readonly lastPollAt = new Map<string, number>();
  private readonly held = new Set<string>();
  private running?: Promise<void>;
  private stopped = false;
  /** A sync was asked for while a tick ran: the next tick starts at once. */
  private tickAgainAtOnce = false;

  constructor(
    private readonly connector: string,
    private readonly registry: ConnectionRegistry<C>,
    private readonly leases: LeaseKeeper,
    private readonly target: PollTarget<C>,
    private readonly metrics: ConnectorMetrics,
    private readonly health: ConnectionHealthBook,
    private readonly logger: Logger,
    private readonly options: { tickMs: number },
  ) {}

  start(): void {
    this.stopped = false;
    this.runTick();
  }

  private readonly runTick = (): void => {
    if (this.stopped) return;
    this.timer = undefined;
    this.tickAgainAtOnce = false;
    this.running = this.tick()
      .catch((err: unknown) => this.logger.warn({ err }, 'scheduler tick failed'))
      .finally(() => this.scheduleTick(this.tickAgainAtOnce ? 0 : this.options.tickMs));
  };

  private scheduleTick(ms: number): void {
    if (!this.stopped) this.timer = setTimeout(this.runTick, ms);
  }

  /** Finishes the poll in hand, then gives the leases back so another replica takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await Promise.allSettled([...this.held].map((id) => this.leases.release(id)));
    this.held.clear();
    await this.leases.retire();
  }

  /** On-demand sync: the connection is polled now, or right after the tick under way, not a tick later. */
  pollSoon(connectionId: string): void {
    this.lastPollAt.delete(connectionId);
    if (this.timer) {
      clearTimeout(this.timer);
      this.scheduleTick(0);
    } else this.tickAgainAtOnce = true;
  }

  heldConnections(): string[] {
    return [...this.held];
  }

  async tick(): Promise<void> {
    await this.leases.heartbeat();
    this.connections = (await this.registry.all()).filter((c) => c.settings.active && this.target.wants(c));
    const replicas = await this.leases.liveReplicas();
    if (!replicas.includes(this.leases.owner)) replicas.push(this.leases.owner);
    const wanted = new Set(this.connections.map((c) => c.id));
    for (const id of [...this.held]) {
      if (!wanted.has(id)) await this.letGo(id);
    }
    for (const connection of this.connections) {
      if (this.stopped) return;
      const preferred = preferredReplica(connection.id, replicas);
      if (this.held.has(connection.id) && preferred !== this.leases.owner) {
        await this.letGo(connection.id);
        continue;
      }
      // Take a connection we are not preferred for only if nobody holds it (its owner died).
      if (!(await this.leases.acquire(connection.id))) {
        this.held.delete(connection.id);
        continue;
      }
      this.held.add(connection.id);
      const interval = this.target.intervalSeconds?.(connection) ?? connection.settings.pollIntervalSeconds;
      const due = (this.lastPollAt.get(connection.id) ?? 0) + interval * 1000 <= Date.now();
      if (due) await this.pollOne(connection);
    }
    this.metrics.leasesHeld.set({ connector: this.connector }, this.held.size);
    this.health.refreshGauges();
  }

  private async letGo(connectionId: string): Promise<void> {
    this.held.delete(connectionId);
    await this.leases.release(connectionId);
  }

  private async pollOne(connection: C): Promise<void> {
    const timer = this.metrics.pollDuration.startTimer({ connector: this.connector });
    this.lastPollAt.set(connection.id, Date.now());
    await runInContext({ accountId: connection.accountId, connectionId: connection.id }, async () => {
      try {
        const result = await this.target.poll(connection);
        if (result?.pollAgainSoon) this.lastPollAt.delete(connection.id);
        this.metrics.lastSuccessfulPoll.set({ connector: this.connector }, Date.now() / 1000);
        timer({ outcome: 'ok' });
        await this.health.succeeded(connection);
      } catch (err) {
        this.metrics.pollErrors.inc({ connector: this.connector });
        timer({ outcome: 'error' });
        const reason = err instanceof Error ? err.message : String(err);
        this.logger.warn({ err: reason }, 'poll failed; next tick retries');
        await this.health.failed(connection, `poll: ${reason}`);
      }
    });
  }
}
