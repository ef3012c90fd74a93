import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { EventPublisher } from '@orderhub/platform';
import { FREE_LEASE, type OutboxCollection, type OutboxEntry } from './outbox';
import type { OrdersMetrics } from './orders-metrics';

export interface OutboxRelayOptions {
  /** For logs and metrics: `order` or `article`. */
  aggregate: string;
  pollMs: number;
  leaseMs: number;
  workers?: number;
}

/**
 * Publishes outbox entries of one collection. A document is claimed with a lease (findOneAndUpdate,
 * so replicas do not publish the same outbox at once), its entries are published in order with
 * `Nats-Msg-Id` = event id, and only acknowledged entries are removed. A crash between publish and
 * removal re-publishes: the stream's duplicate window drops it, consumers are idempotent anyway.
 *
 * Entry states: pending (in the array, lease free) → in progress (lease held) → published (removed);
 * a failed publish releases nothing and the lease expiry makes it pending again.
 */
export class OutboxRelay {
  private readonly replicaId = randomUUID();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly collection: OutboxCollection,
    private readonly publisher: EventPublisher,
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
        await Promise.all(Array.from({ length: this.options.workers ?? 4 }, () => this.drain()));
      } catch (err) {
        this.log.warn({ err, aggregate: this.options.aggregate }, 'outbox relay cycle failed');
      }
    } while (this.again && !this.stopped);
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const doc = await this.claim();
      if (!doc) return;
      await this.publishOutbox(doc._id, doc.outbox);
    }
  }

  private claim() {
    const now = new Date();
    return this.collection.findOneAndUpdate(
      { outboxDirty: true, outboxClaimedUntil: { $lt: now } },
      { $set: { outboxClaimedUntil: new Date(now.getTime() + this.options.leaseMs), outboxClaimedBy: this.replicaId } },
      { returnDocument: 'after' },
    );
  }

  private async publishOutbox(id: string, entries: OutboxEntry[]): Promise<void> {
    const published: OutboxEntry[] = [];
    try {
      for (const entry of entries) {
        await this.publisher.publish(entry.subject, JSON.parse(entry.payload) as { eventId: string });
        this.metrics.outboxPublishLatency.observe(
          { aggregate: this.options.aggregate },
          (Date.now() - new Date(entry.createdAt).getTime()) / 1000,
        );
        published.push(entry);
      }
    } catch (err) {
      this.log.warn({ err, aggregate: this.options.aggregate, id }, 'outbox publish failed, will retry after the lease');
    }
    // $pullAll of the entries exactly as read: FerretDB v1 ignores $pull with a condition.
    const update: Record<string, unknown> = {};
    if (published.length) update.$pullAll = { outbox: published };
    if (published.length === entries.length) update.$set = { outboxClaimedUntil: FREE_LEASE };
    if (Object.keys(update).length) await this.collection.updateOne({ _id: id }, update);
    // A writer may have pushed new entries meanwhile: clear the flag only if the outbox is empty.
    if (published.length === entries.length) {
      await this.collection.updateOne({ _id: id, outbox: { $size: 0 } }, { $set: { outboxDirty: false } });
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
