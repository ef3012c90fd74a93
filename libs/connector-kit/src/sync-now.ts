import { randomUUID } from 'node:crypto';
import { KvWatchInclude, type KV } from '@nats-io/kv';
import type { Msg, Subscription } from '@nats-io/nats-core';
import { ConnectorTriggerRequestSchema, ConnectorTriggers, ProblemError } from '@orderhub/contracts';
import { errorReply, type NatsClient, okReply } from '@orderhub/platform';
import type { Logger } from 'pino';
import type { ConnectionRegistry } from './connection-registry';

const TRIGGER_PREFIX = 'trigger.';

/**
 * "Sync now" (`ConnectorTriggers[type]`): the request reaches one replica (queue group), which checks
 * the connection and writes `trigger.<connectionId>` into the connector's KV bucket. Every replica
 * watches that key, so the one holding the connection's lease hears it and polls at its next tick,
 * whichever replica took the request.
 */
export class SyncNow {
  private subscription?: Subscription;
  private watching?: { stop(): void };
  private readonly listeners: ((connectionId: string) => void)[] = [];
  /** Requests this replica wrote: already told to its listeners, so their echo from the watch is skipped. */
  private readonly ownRequests = new Set<string>();

  constructor(
    private readonly nats: NatsClient,
    private readonly kv: KV,
    private readonly registry: ConnectionRegistry,
    private readonly service: string,
    private readonly logger: Logger,
  ) {}

  /** Called on every replica for every sync request (the scheduler's `pollSoon`, extra work of a connector). */
  onRequest(listener: (connectionId: string) => void): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    const watch = await this.kv.watch({ key: `${TRIGGER_PREFIX}*`, include: KvWatchInclude.UpdatesOnly });
    this.watching = watch;
    void (async () => {
      for await (const entry of watch) {
        if (entry.operation !== 'PUT' || entry.length === 0) continue;
        const { connectionId, requestId } = entry.json<{ connectionId: string; requestId?: string }>();
        // A second notice could land after the poll it asked for began, and poll the connection again.
        if (requestId && this.ownRequests.delete(requestId)) continue;
        this.notify(connectionId);
      }
    })()
      .catch((err: unknown) => this.logger.warn({ err }, 'sync-now watch ended'))
      .finally(() => {
        // No echo comes any more: remember no request ids from now on.
        this.watching = undefined;
        this.ownRequests.clear();
      });
    this.subscription = this.nats.nc.subscribe(this.nats.names.subject(ConnectorTriggers[this.registry.type]), {
      queue: this.service,
      callback: (err, msg) => {
        if (!err) void this.answer(msg);
      },
    });
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.watching?.stop();
  }

  /** Asks every replica to sync this connection (also usable from inside the connector, e.g. a re-poll). */
  async request(connectionId: string): Promise<void> {
    this.notify(connectionId);
    const requestId = randomUUID();
    if (this.watching) this.ownRequests.add(requestId);
    try {
      await this.kv.put(
        `${TRIGGER_PREFIX}${connectionId.replace(/[^A-Za-z0-9_-]/g, '_')}`,
        JSON.stringify({ connectionId, requestId, at: Date.now() }),
      );
    } catch (err) {
      this.ownRequests.delete(requestId);
      throw err;
    }
  }

  private async answer(msg: Msg): Promise<void> {
    const parsed = ConnectorTriggerRequestSchema.safeParse(safeJson(msg));
    // Not meant for this connector: stay silent, as a connector that does not exist would.
    if (parsed.success && parsed.data.type && parsed.data.type !== this.registry.type) return;
    try {
      const request = ConnectorTriggerRequestSchema.parse(parsed.success ? parsed.data : safeJson(msg));
      const connection = await this.registry.byId(request.connectionId);
      if (!connection || (request.accountId && connection.accountId !== request.accountId)) {
        throw ProblemError.notFound(`active ${this.registry.type} connection ${request.connectionId}`);
      }
      await this.request(connection.id);
      this.logger.info({ connectionId: connection.id }, 'sync requested');
      msg.respond(JSON.stringify(okReply({ accepted: true, connectionId: connection.id })));
    } catch (err) {
      msg.respond(JSON.stringify(errorReply(err)));
    }
  }

  private notify(connectionId: string): void {
    for (const listener of this.listeners) listener(connectionId);
  }
}

function safeJson(msg: Msg): unknown {
  try {
    return msg.json();
  } catch {
    return undefined;
  }
}
