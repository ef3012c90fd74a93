import type { Logger } from 'pino';
import {
  type EventPublisher,
  type HeldRevisions,
  type RevisionGuard,
  runInContext,
  type UnpublishableEvents,
  unpublishableReason,
  VersionConflict,
  type WorkMarker,
} from '@orderhub/platform';
import type { OutboxCollection, OutboxEntry, OutboxMarkers } from './outbox';
import type { OrdersMetrics } from './orders-metrics';

export interface OutboxRelayOptions {
  /** For logs and metrics: `order` or `article`. */
  aggregate: string;
  /** This process: it relays what its own writers marked at once. */
  owner: string;
  pollMs: number;
  /** After this long a document marked by another replica is relayed here too (that replica may be gone). */
  takeoverMs: number;
  workers?: number;
  /** Full scan for documents whose marker was lost to a crash; rare because it reads every document. */
  sweepMs: number;
}

/** Markers read per cycle; a page shorter than this is the whole backlog, so it is also the count. */
const PAGE = 256;
/** While the backlog is longer than a page it is counted, at most this often (a count reads every marker). */
const RECOUNT_MS = 15_000;

/** A document a writer has just written, with the outbox entries it holds now. */
export interface WrittenDocument {
  id: string;
  rev: number;
  outbox: OutboxEntry[];
}

type OutboxSnapshot = { outbox?: OutboxEntry[]; rev?: number } | null;

/** A document with pending events; `owner` only where it was marked (FerretDB). */
type PendingMarker = WorkMarker<{ owner: string }>;

/**
 * Publishes outbox entries of one collection: in order per document, with `Nats-Msg-Id` = event id,
 * removing only acknowledged entries under the revision guard (a writer may append meanwhile).
 *
 * Replicas share the work through the markers' owner: each relays the documents its own writers
 * marked and takes over others' only when they are older than `takeoverMs`. Two replicas relaying
 * one document at once is harmless, just wasted: JetStream's duplicate window drops the second
 * publish of an event, and entries are published in order and only after the previous one was
 * acknowledged, so an event never overtakes an earlier one of its document. Consumers are
 * idempotent anyway.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private sweepTimer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private sweeping = false;
  private backlog = { count: 0, exact: false, countedAt: 0 };
  private recounting?: Promise<void>;

  constructor(
    private readonly collection: OutboxCollection,
    private readonly publisher: EventPublisher,
    private readonly unpublishable: UnpublishableEvents,
    private readonly guard: RevisionGuard,
    private readonly markers: OutboxMarkers,
    private readonly metrics: OrdersMetrics,
    private readonly log: Logger,
    private readonly options: OutboxRelayOptions,
  ) {
    metrics.addBacklogSource(() => this.backlogSize());
  }

  /**
   * For the backlog gauge, without a count on every scrape: the last cycle's page is the exact
   * backlog when it was not full; a longer backlog is counted in the background at most every RECOUNT_MS.
   */
  private async backlogSize(): Promise<number> {
    if (this.backlog.exact) return this.backlog.count;
    if (!this.recounting && Date.now() - this.backlog.countedAt > RECOUNT_MS) {
      this.recounting = runInContext({ phase: 'periodic' }, () => this.countPending())
        .then((count) => {
          if (!this.backlog.exact) this.backlog = { count, exact: false, countedAt: Date.now() };
        })
        .catch(() => undefined)
        .finally(() => (this.recounting = undefined));
      if (!this.backlog.countedAt) await this.recounting;
    }
    return this.backlog.count;
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.nudge('poll'), this.options.pollMs);
    this.sweepTimer = setInterval(() => void runInContext({ phase: 'periodic' }, () => this.sweep()), this.options.sweepMs);
    void runInContext({ phase: 'periodic' }, () => this.sweep());
    this.nudge('poll');
  }

  /**
   * Restores markers for documents that still hold entries (a crash between a write and its marker).
   * The scan's answer is old by the time it arrives (seconds at 100 000 orders on FerretDB) and the
   * relay has published many of those documents meanwhile, so each one is read again and marked only
   * if it still has entries: marking from the stale list left thousands of empty markers the relay then
   * had to clear before it got to real work (the likely cause of a 30 s stall in the 100k benchmark:
   * 22 000 markers pending while 3 000 events were missing).
   */
  private async sweep(): Promise<void> {
    if (this.sweeping || (await this.markers.byIndex())) return; // still reading; or nothing can be unmarked
    this.sweeping = true;
    try {
      const dirty = await this.collection.find({ outboxDirty: true }, { projection: { _id: 1 } }).toArray();
      let marked = 0;
      for (const { _id } of dirty) {
        if (this.stopped) return;
        if (!(await this.read(_id))?.outbox?.length) continue;
        await this.markers.mark(_id, this.options.aggregate);
        marked += 1;
      }
      if (marked) this.nudge();
    } catch (err) {
      this.log.warn({ err, aggregate: this.options.aggregate }, 'outbox sweep failed');
    } finally {
      this.sweeping = false;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.running;
  }

  /**
   * Called after each write so events leave at once instead of at the next poll. The poll's own look
   * for work counts as periodic work, not as the cost of publishing (bench/src/work-cost.ts).
   */
  nudge(by: 'write' | 'poll' = 'write'): void {
    if (this.stopped) return;
    if (this.running) {
      if (by === 'write') this.again = true;
      return;
    }
    this.running = this.run(by === 'poll' ? 'periodic' : 'outbox').finally(() => {
      this.running = undefined;
    });
  }

  private async run(lookup: 'periodic' | 'outbox'): Promise<void> {
    do {
      this.again = false;
      try {
        await this.drain(lookup);
      } catch (err) {
        this.log.warn({ err, aggregate: this.options.aggregate }, 'outbox relay cycle failed');
      }
      lookup = 'outbox';
    } while (this.again && !this.stopped);
  }

  /** Documents are independent (order is kept within one document), so several are relayed at once. */
  private async drain(lookup: 'periodic' | 'outbox'): Promise<void> {
    const page = await runInContext({ phase: lookup }, () => this.pending(PAGE));
    if (page.length < PAGE) this.backlog = { count: page.length, exact: true, countedAt: Date.now() };
    else if (this.backlog.exact) this.backlog = { ...this.backlog, exact: false, countedAt: 0 };
    const queue = this.ours(page).slice(0, PAGE / 2);
    const lane = async () => {
      for (let id = queue.shift(); id !== undefined && !this.stopped; id = queue.shift()) await this.relayOne(id);
    };
    await runInContext({ phase: 'outbox' }, () => Promise.all(Array.from({ length: this.options.workers ?? 8 }, lane)));
  }

  /** Documents with pending events: by the `outbox_pending` index on MongoDB, by their markers on FerretDB. */
  private async pending(limit: number): Promise<PendingMarker[]> {
    if (await this.markers.byIndex()) {
      const dirty = await this.collection.find({ outboxDirty: true }, { projection: { _id: 1 }, limit }).toArray();
      return dirty.map(({ _id }) => ({ docId: _id, at: new Date(0) }));
    }
    return this.markers.marked(this.options.aggregate, { limit });
  }

  private async countPending(): Promise<number> {
    if (await this.markers.byIndex()) return this.collection.countDocuments({ outboxDirty: true });
    return this.markers.count(this.options.aggregate);
  }

  /** Own markers first, then those another replica has left for longer than `takeoverMs`. */
  private ours(markers: PendingMarker[]): string[] {
    const overdue = Date.now() - this.options.takeoverMs;
    const own = markers.filter((m) => (!m.owner || m.owner === this.options.owner) && !this.inHand.has(m.docId));
    const orphaned = markers.filter((m) => m.owner && m.owner !== this.options.owner && m.at.getTime() < overdue);
    return [...own, ...orphaned].map((m) => m.docId);
  }

  /**
   * Publishes events that were not written to any outbox (a batch of imported orders: their import
   * commands stay unacknowledged until this is done, and a redelivered one publishes them again under
   * the same event ids). Returns the ids of the documents whose events all went out.
   */
  async publishFromMemory(docs: { id: string; outbox: OutboxEntry[] }[]): Promise<Set<string>> {
    return runInContext({ phase: 'outbox' }, async () => {
      const published = await Promise.all(docs.map((d) => this.publishInOrder(d.id, d.outbox)));
      return new Set(docs.filter((d, i) => published[i]?.size === d.outbox.length).map((d) => d.id));
    });
  }

  /**
   * Publishes what one writer has just saved (`saveHolding`) and clears it without reading it back:
   * the document is held at its new revision, so nobody has appended meanwhile. What cannot be
   * published or cleared now is marked and left to the relay's cycle. A crash before this ends leaves
   * the entries in the document, found by the sweep at the next start. Returns whether the entries
   * were published and cleared.
   */
  async publishSaved(doc: WrittenDocument, held: HeldRevisions): Promise<boolean> {
    this.inHand.add(doc.id);
    let cleared = false;
    try {
      cleared = await runInContext({ phase: 'outbox' }, async () => {
        const published = await this.publishInOrder(doc.id, doc.outbox);
        if (published.size !== doc.outbox.length) return false;
        const clear = { _id: doc.id, rev: doc.rev, update: { $set: { outbox: [], outboxDirty: false } } };
        return (await this.guard.updateHeld(this.collection as never, held, [clear])).has(doc.id);
      });
    } catch (err) {
      this.log.warn({ err, aggregate: this.options.aggregate, id: doc.id }, 'outbox entries of a write left to the relay');
    } finally {
      await held.release();
      this.inHand.delete(doc.id);
    }
    if (cleared) return true;
    // The write itself is done; its entries wait for the relay (or, if even the marker fails, the sweep).
    await this.markers
      .mark(doc.id, this.options.aggregate)
      .catch((err: unknown) => this.log.warn({ err, id: doc.id }, 'outbox marker not written'));
    this.nudge();
    return false;
  }

  /** Documents whose writer publishes their entries itself right now (`publishSaved`). */
  private readonly inHand = new Set<string>();

  private async relayOne(id: string): Promise<void> {
    let readAt = Date.now();
    let doc = await this.read(id);
    if (!doc?.outbox?.length) return this.clearIfEmpty(id);
    const published = await this.publishInOrder(id, doc.outbox);
    if (!published.size) return; // the marker stays: the next cycle tries again
    // Cleared before the entries are removed: a writer appending from now on marks again, and one
    // that appended before moves `rev`, which the guarded update below notices.
    await this.markers.done(id, this.options.aggregate);
    for (let attempt = 0; attempt < 10 && doc; attempt++) {
      const remaining = (doc.outbox ?? []).filter((e) => !published.has(e.eventId));
      try {
        await this.guard.update(
          this.collection as never,
          { _id: id },
          doc.rev ?? 0,
          { $set: { outbox: remaining, outboxDirty: remaining.length > 0 } },
          readAt,
        );
        if (remaining.length) await this.markers.mark(id, this.options.aggregate);
        return;
      } catch (err) {
        if (!(err instanceof VersionConflict)) throw err;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
        readAt = Date.now();
        doc = await this.read(id);
      }
    }
    if (doc) await this.markers.mark(id, this.options.aggregate); // still contended: the next cycle removes what is published
  }

  private read(id: string): Promise<OutboxSnapshot> {
    return this.collection.findOne({ _id: id }, { projection: { outbox: 1, rev: 1 } });
  }

  /** A marker without entries; read again after removing it, so an entry written meanwhile keeps one. */
  private async clearIfEmpty(id: string): Promise<void> {
    await this.markers.done(id, this.options.aggregate);
    const after = await this.read(id);
    if (after?.outbox?.length) await this.markers.mark(id, this.options.aggregate);
  }

  /**
   * Publishes until the first failure; returns the ids of the events done with: acknowledged, or
   * parked because they can never be published (too large, invalid), so they do not hold up the
   * events after them.
   */
  private async publishInOrder(id: string, entries: OutboxEntry[]): Promise<Set<string>> {
    const published = new Set<string>();
    for (const entry of entries) {
      try {
        await this.publisher.publish(entry.subject, JSON.parse(entry.payload) as { eventId: string });
        this.metrics.outboxPublishLatency.observe(
          { aggregate: this.options.aggregate },
          (Date.now() - new Date(entry.createdAt).getTime()) / 1000,
        );
        published.add(entry.eventId);
      } catch (err) {
        const reason = unpublishableReason(err);
        if (!reason) {
          this.log.warn({ err, aggregate: this.options.aggregate, id }, 'outbox publish failed, will retry');
          break;
        }
        if (!(await this.park(id, entry, reason))) break;
        published.add(entry.eventId);
      }
    }
    return published;
  }

  private async park(id: string, entry: OutboxEntry, reason: string): Promise<boolean> {
    try {
      await this.unpublishable.park(entry.subject, entry.eventId, entry.payload, reason);
      this.log.error(
        { aggregate: this.options.aggregate, id, eventId: entry.eventId, subject: entry.subject, reason },
        'outbox event cannot be published: parked in the dead-letter stream',
      );
      return true;
    } catch (err) {
      this.log.warn({ err, aggregate: this.options.aggregate, id }, 'could not park an unpublishable outbox event, will retry');
      return false;
    }
  }
}

/** One relay per collection with an outbox; distinct classes so Nest can inject each by type. */
export class OrderOutboxRelay extends OutboxRelay {}
export class ArticleOutboxRelay extends OutboxRelay {}
