import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { EventPublisher } from '@orderhub/platform';
import type { OutboxCollection, OutboxEntry } from './outbox';
import { type LeaseTable, type RevisionGuard, VersionConflict } from './revision-guard';
import type { OrdersMetrics } from './orders-metrics';

export interface OutboxRelayOptions {
  /** For logs and metrics: `order` or `article`. */
  aggregate: string;
  pollMs: number;
  leaseMs: number;
  workers?: number;
}

/**
 * Publishes outbox entries of one collection. A document is claimed with a lease (unique insert,
 * so replicas do not publish the same outbox at once), its entries are published in order with
 * `Nats-Msg-Id` = event id, and only acknowledged entries are removed. A crash between publish and
 * removal re-publishes: the stream's duplicate window drops it, consumers are idempotent anyway.
 *
 * Entry states: pending (in the array, lease free) → in progress (lease held) → published (removed);
 * a failed publish releases nothing and the lease expiry makes it pending again.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly collection: OutboxCollection,
    private readonly publisher: EventPublisher,
    private readonly guard: RevisionGuard,
    private readonly leases: LeaseTable,
    private readonly metrics: OrdersMetrics,
    private readonly log: Logger,
    private readonly options: OutboxRelayOptions,
  ) {
    metrics.addBacklogSource(() => this.pendingEvents());
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.nudge(), this.options.pollMs);
    this.nudge();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Called after each write so events leave at once instead of at the next poll. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run().finally(() => {
      this.running = undefined;
    });
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.drain();
      } catch (err) {
        this.log.warn({ err, aggregate: this.options.aggregate }, 'outbox relay cycle failed');
      }
    } while (this.again && !this.stopped);
  }

  /** Documents are independent (order is kept within one document), so several are relayed at once. */
  private async drain(): Promise<void> {
    const candidates = await this.collection.find({ outboxDirty: true }, { projection: { _id: 1 }, limit: 128 }).toArray();
    const queue = candidates.map((c) => c._id).sort(() => Math.random() - 0.5);
    const lane = async () => {
      for (let id = queue.shift(); id !== undefined && !this.stopped; id = queue.shift()) await this.relayOne(id);
    };
    await Promise.all(Array.from({ length: this.options.workers ?? 8 }, lane));
  }

  private async relayOne(id: string): Promise<void> {
    const key = `${this.options.aggregate}:${id}`;
    const token = randomUUID();
    if (!(await this.leases.acquire(key, token, this.options.leaseMs))) return;
    try {
      const doc = await this.collection.findOne({ _id: id }, { projection: { outbox: 1, rev: 1 } });
      if (doc) await this.publishOutbox(id, doc.outbox ?? []);
    } finally {
      await this.leases.release(key, token).catch(() => undefined);
    }
  }

  private async publishOutbox(id: string, entries: OutboxEntry[]): Promise<void> {
    const published = new Set<string>();
    try {
      for (const entry of entries) {
        await this.publisher.publish(entry.subject, JSON.parse(entry.payload) as { eventId: string });
        this.metrics.outboxPublishLatency.observe(
          { aggregate: this.options.aggregate },
          (Date.now() - new Date(entry.createdAt).getTime()) / 1000,
        );
        published.add(entry.eventId);
      }
    } catch (err) {
      this.log.warn({ err, aggregate: this.options.aggregate, id }, 'outbox publish failed, will retry');
    }
    // Remove only acknowledged entries, from a fresh read under the revision guard: a writer may
    // have appended meanwhile.
    for (let attempt = 0; attempt < 10; attempt++) {
      const doc = await this.collection.findOne({ _id: id }, { projection: { outbox: 1, rev: 1 } });
      if (!doc) return;
      const remaining = (doc.outbox ?? []).filter((e) => !published.has(e.eventId));
      if (remaining.length === (doc.outbox ?? []).length && remaining.length > 0) return;
      try {
        await this.guard.update(this.collection as never, { _id: id }, doc.rev ?? 0, {
          $set: { outbox: remaining, outboxDirty: remaining.length > 0 },
        });
        return;
      } catch (err) {
        if (!(err instanceof VersionConflict)) throw err;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
      }
    }
  }

  private async pendingEvents(): Promise<number> {
    const docs = await this.collection.find({ outboxDirty: true }, { projection: { outbox: 1 } }).toArray();
    return docs.reduce((sum, d) => sum + (d.outbox?.length ?? 0), 0);
  }
}

/** One relay per collection with an outbox; distinct classes so Nest can inject each by type. */
export class OrderOutboxRelay extends OutboxRelay {}
export class ArticleOutboxRelay extends OutboxRelay {}
