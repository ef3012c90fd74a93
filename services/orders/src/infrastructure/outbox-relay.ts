import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { EventPublisher } from '@orderhub/platform';
import type { OutboxCollection, OutboxEntry } from './outbox';
import type { OutboxMarkers } from './outbox-markers';
import { type LeaseTable, type RevisionGuard, VersionConflict } from './revision-guard';
import type { OrdersMetrics } from './orders-metrics';

export interface OutboxRelayOptions {
  /** For logs and metrics: `order` or `article`. */
  aggregate: string;
  pollMs: number;
  leaseMs: number;
  workers?: number;
  /** Full scan for documents whose marker was lost to a race; rare because it reads every document. */
  sweepMs?: number;
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
  private sweepTimer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly collection: OutboxCollection,
    private readonly publisher: EventPublisher,
    private readonly guard: RevisionGuard,
    private readonly leases: LeaseTable,
    private readonly markers: OutboxMarkers,
    private readonly metrics: OrdersMetrics,
    private readonly log: Logger,
    private readonly options: OutboxRelayOptions,
  ) {
    metrics.addBacklogSource(() => this.pendingEvents());
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.nudge(), this.options.pollMs);
    this.sweepTimer = setInterval(() => void this.sweep(), this.options.sweepMs ?? 30_000);
    void this.sweep();
    this.nudge();
  }

  /** Restores markers for documents that still hold entries (a marker removed while a writer appended). */
  private async sweep(): Promise<void> {
    try {
      const dirty = await this.collection.find({ outboxDirty: true }, { projection: { _id: 1 } }).toArray();
      for (const doc of dirty) await this.markers.mark(doc._id);
      if (dirty.length) this.nudge();
    } catch (err) {
      this.log.warn({ err, aggregate: this.options.aggregate }, 'outbox sweep failed');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
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
    const queue = (await this.markers.pending(128)).sort(() => Math.random() - 0.5);
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
      if (!doc) return this.markers.clear(id);
      if (await this.publishOutbox(id, doc.outbox ?? [])) {
        await this.markers.clear(id);
        // A writer may have appended between our last write and the marker removal.
        const after = await this.collection.findOne({ _id: id }, { projection: { outbox: 1 } });
        if (after?.outbox?.length) await this.markers.mark(id);
      }
    } finally {
      await this.leases.release(key, token).catch(() => undefined);
    }
  }

  /** Publishes in order and removes what was acknowledged; true when the outbox is empty afterwards. */
  private async publishOutbox(id: string, entries: OutboxEntry[]): Promise<boolean> {
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
      if (!doc) return true;
      const remaining = (doc.outbox ?? []).filter((e) => !published.has(e.eventId));
      if (remaining.length === 0 && (doc.outbox ?? []).length === 0) return true;
      if (remaining.length === (doc.outbox ?? []).length) return false;
      try {
        await this.guard.update(this.collection as never, { _id: id }, doc.rev ?? 0, {
          $set: { outbox: remaining, outboxDirty: remaining.length > 0 },
        });
        return remaining.length === 0;
      } catch (err) {
        if (!(err instanceof VersionConflict)) throw err;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
      }
    }
    return false;
  }

  private async pendingEvents(): Promise<number> {
    let sum = 0;
    for (const id of await this.markers.pending(10_000)) {
      const doc = await this.collection.findOne({ _id: id }, { projection: { outbox: 1 } });
      sum += doc?.outbox?.length ?? 0;
    }
    return sum;
  }
}

/** One relay per collection with an outbox; distinct classes so Nest can inject each by type. */
export class OrderOutboxRelay extends OutboxRelay {}
export class ArticleOutboxRelay extends OutboxRelay {}
