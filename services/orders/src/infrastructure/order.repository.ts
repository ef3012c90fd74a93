import type { mongo } from 'mongoose';
import type { OrderStateId } from '@orderhub/contracts';
import type { OrderData, OrderHistoryEntry } from '../domain/order';
import { OrderAggregate } from '../domain/order';
import { emptyOutbox, type OutboxEntry, type OutboxFields, type OutboxMarkers, outboxUpdate } from './outbox';
import {
  duplicateKeyIndexes,
  findByIds,
  type HeldRevisions,
  isDuplicateKey,
  type ListMirror,
  type ListPageOptions,
  type NewDocuments,
  type RevisionCheck,
  type RevisionGuard,
  VersionConflict,
} from '@orderhub/platform';
import type { WrittenDocument } from './outbox-relay';
import { orderIdFor } from '../domain/order-id';
import { NewestIds } from './newest-ids';
import type { OrderPayloads } from './order-payloads';
import { type Filter, plain, TenantCollection } from './tenant-collection';

export type OrderDoc = Omit<OrderData, 'id' | 'orderedAt'> &
  OutboxFields & {
    _id: string;
    /** A Date, so lists sort and filter by it. */
    orderedAt: Date;
    history: OrderHistoryEntry[];
    /** The import command that created the order in a batch: its redelivery publishes the order's first events again. */
    importCommandId?: string;
  };

/** Fields an update may `$set` (identity, version and append-only arrays are handled apart). */
const MUTABLE: (keyof OrderData)[] = [
  'orderNumber',
  'state',
  'orderedAt',
  'currency',
  'positions',
  'positionsLocked',
  'positionsLockRuleId',
  'buyer',
  'invoiceAddress',
  'shippingAddress',
  'shippingCost',
  'paymentMethod',
  'payments',
  'payByDate',
  'shipDate',
  'tags',
  'shipments',
  'invoiceNumber',
  'comments',
  'vatId',
  'shippingProfileId',
  'deliverySourceCountryCode',
  'totalGross',
  'updatedAt',
  'contentHash',
];

export { VersionConflict } from '@orderhub/platform';

/** What order lists filter, sort and group by (the list copies on FerretDB hold these). */
export const ORDER_LIST_FIELDS = [
  'accountId',
  'connectionId',
  'externalId',
  'orderNumber',
  'state',
  'tags',
  'orderedAt',
  'createdAt',
  'updatedAt',
  'buyer.firstName',
  'buyer.lastName',
  'buyer.email',
] as const;

export interface OrderListFilter {
  state?: OrderStateId[];
  connectionId?: string;
  tag?: string;
  from?: string;
  to?: string;
  search?: string;
  after?: { orderedAt: Date; id: string };
  limit: number;
}

const INSERTED_LATELY = 10_000;
/**
 * How long an order this replica has written stands in for a read of it: below RevisionGuard's
 * fresh-read window, so the guard's claim still catches any writer that came in between.
 */
const JUST_WRITTEN_MS = 4_000;
const JUST_WRITTEN_MAX = 1_000;

/** A field's value in a form `===` compares by content. */
const fieldValue = (value: unknown): unknown => (typeof value === 'object' && value !== null ? JSON.stringify(value) : value);

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class OrderRepository extends TenantCollection<OrderDoc> {
  /**
   * Orders this replica inserted lately (exact ids, the newest INSERTED_LATELY): a connector asking
   * whether the orders it just handed in are stored is answered without a read per order.
   */
  private readonly insertedLately = new NewestIds(INSERTED_LATELY);
  /**
   * What each loaded aggregate was read at (persistence detail, not the domain's): its write revision,
   * and its `orderedAt` (a save that keeps it leaves the list heads alone).
   */
  private readonly loaded = new WeakMap<
    OrderAggregate,
    {
      rev: number;
      orderedAt: Date;
      pendingEvents: number;
      importCommandId?: string;
      readAt?: number;
      /** Each MUTABLE field as read (`fieldValue`): an update sets only the fields that differ. */
      fields: Map<keyof OrderData, unknown>;
      /** The order still holds its channel payload (stored before payloads were kept apart). */
      inlinePayload: boolean;
    }
  >();

  /**
   * Orders as this replica has just written them, events out: a write-back's shipment, state and the
   * channel's report change one order within a second, and each change after the first starts here.
   */
  private readonly justWritten = new Map<string, { doc: OrderDoc; at: number }>();

  constructor(
    collection: mongo.Collection<OrderDoc>,
    private readonly guard: RevisionGuard,
    private readonly markers: OutboxMarkers,
    private readonly revisionCheck: Promise<RevisionCheck>,
    private readonly lists: ListMirror<OrderDoc>,
    private readonly payloads: OrderPayloads,
  ) {
    super(collection);
  }

  /** Whether `findManyByIds` is one command for the whole batch (MongoDB) rather than one per id (FerretDB). */
  async readsManyAtOnce(): Promise<boolean> {
    return (await this.revisionCheck) === 'conditional';
  }

  /** The orders of one batch in one read (per id on FerretDB); those of another account are left out. */
  async findManyByIds(accountOf: Map<string, string>, ids: string[]): Promise<Map<string, OrderAggregate>> {
    const readAt = Date.now();
    const docs = await findByIds<OrderDoc>(this.collection as never, ids, this.revisionCheck);
    const found = new Map<string, OrderAggregate>();
    for (const doc of docs) if (doc.accountId === accountOf.get(doc._id)) found.set(doc._id, this.toAggregate(doc, readAt));
    return found;
  }

  /** Which of these orders are stored in the account: ids only, in one read (per id on FerretDB). */
  async storedIds(accountId: string, ids: string[]): Promise<string[]> {
    // an order id derives from its account (orderIdFor), so one this replica inserted is that account's
    const known = ids.filter((id) => this.insertedLately.has(id));
    const unknown = ids.filter((id) => !this.insertedLately.has(id));
    const docs = await findByIds<{ _id: string; accountId: string }>(this.collection as never, unknown, this.revisionCheck, {
      projection: { _id: 1, accountId: 1 },
    });
    return [...known, ...docs.filter((d) => d.accountId === accountId).map((d) => d._id)];
  }

  /**
   * First write of a batch of imported orders in one command, without outbox entries: the caller
   * publishes their first events from memory, and the import command that created each order (kept
   * as `importCommandId`) stays unacknowledged until then, so its redelivery publishes them again.
   * Returns the ids another writer inserted first (E11000 on the import key).
   */
  async insertMany(batch: { order: OrderAggregate; importCommandId: string }[]): Promise<Set<string>> {
    const duplicates = new Set<string>();
    if (!batch.length) return duplicates;
    const rev = await this.guard.newRevision();
    await this.payloads.addNew(batch.flatMap(({ order }) => this.payloadOf(order)));
    const docs = batch.map(({ order, importCommandId }) => ({ ...this.newDocument(order, []), importCommandId, rev }));
    try {
      await this.mayHaveWritten(
        docs.map((d) => d._id),
        () => this.collection.insertMany(docs as never[], { ordered: false }),
      );
    } catch (err) {
      for (const i of duplicateKeyIndexes(err)) duplicates.add(docs[i]?._id as string);
    }
    const inserted = docs.filter((d) => !duplicates.has(d._id));
    for (const d of inserted) this.insertedLately.add(d._id);
    await this.lists.added(inserted);
    return duplicates;
  }

  /**
   * Holds orders about to be inserted by `insertMany` until `release(done)`: no other writer changes
   * them (and publishes an event) before their first events are out.
   */
  holdNew(ids: string[]): Promise<NewDocuments> {
    return this.guard.holdNew(ids, this.collection as never);
  }

  /** Lets other writers at orders `insertMany` inserted whose first events are out now (a redelivered import). */
  releaseNew(ids: string[]): Promise<void> {
    return this.guard.releaseNew(this.collection as never, ids);
  }

  /** The import command that created this order in a batch (`insertMany`), if it was. */
  importCommandOf(order: OrderAggregate): string | undefined {
    return this.loaded.get(order)?.importCommandId;
  }

  /** The order as stored: its channel payload is kept apart (`OrderPayloads`). */
  private newDocument(order: OrderAggregate, outbox: OutboxEntry[]): OrderDoc {
    const { id, orderedAt, rawPayload: _raw, ...rest } = order.snapshot;
    return {
      ...plain(rest),
      _id: id,
      orderedAt: new Date(orderedAt),
      history: plain(order.changes.history),
      ...emptyOutbox(outbox),
    };
  }

  /** `readAt`: when the read of `doc` began, if the aggregate may be saved (RevisionGuard's fresh read). */
  toAggregate(doc: OrderDoc, readAt?: number): OrderAggregate {
    const { _id, history, outbox, outboxDirty: _d, rev, orderedAt, importCommandId, ...rest } = doc;
    const order = new OrderAggregate(
      { ...(rest as Omit<OrderData, 'id' | 'orderedAt'>), id: _id, orderedAt: orderedAt.toISOString() },
      history ?? [],
    );
    const fields = new Map(MUTABLE.map((f) => [f, fieldValue(order.snapshot[f])]));
    this.loaded.set(order, {
      rev: rev ?? 0,
      orderedAt,
      pendingEvents: outbox?.length ?? 0,
      importCommandId,
      readAt,
      fields,
      inlinePayload: doc.rawPayload !== undefined,
    });
    return order;
  }

  async findById(accountId: string, orderId: string): Promise<OrderAggregate | undefined> {
    const readAt = Date.now();
    const doc = await this.findOne(accountId, { _id: orderId });
    return doc ? this.toAggregate(doc, readAt) : undefined;
  }

  /** The order for a change: as this replica wrote it moments ago, if it did; otherwise read. */
  async findForChange(accountId: string, orderId: string): Promise<OrderAggregate | undefined> {
    const recent = this.justWritten.get(orderId);
    if (recent && Date.now() - recent.at < JUST_WRITTEN_MS && recent.doc.accountId === accountId) {
      return this.toAggregate(structuredClone(recent.doc), recent.at);
    }
    return this.findById(accountId, orderId);
  }

  /**
   * After a write of `order` that left no events in its outbox: `revisions` the write moved it on
   * (two when its events were published and cleared), `since` when the write began.
   */
  rememberWritten(order: OrderAggregate, revisions: 1 | 2, since: number): void {
    const loaded = this.loaded.get(order);
    if (!loaded) return;
    const id = order.snapshot.id;
    const rev = loaded.rev + revisions;
    const prior = this.justWritten.get(id);
    if (prior && prior.doc.rev >= rev) return;
    const doc = { ...this.newDocument(order, []), history: plain([...order.fullHistory]), rev, importCommandId: loaded.importCommandId };
    this.justWritten.delete(id);
    this.justWritten.set(id, { doc, at: since });
    for (const [oldest, entry] of this.justWritten) {
      if (this.justWritten.size <= JUST_WRITTEN_MAX && Date.now() - entry.at < JUST_WRITTEN_MS) break;
      this.justWritten.delete(oldest);
    }
  }

  async findByExternalId(accountId: string, connectionId: string, externalId: string): Promise<OrderAggregate | undefined> {
    return this.findById(accountId, orderIdFor(accountId, connectionId, externalId));
  }

  /** First write of an order; a duplicate import key raises E11000 (HUB-2 across replicas). */
  async insert(order: OrderAggregate, outbox: OutboxEntry[]): Promise<void> {
    const doc = this.newDocument(order, outbox);
    await this.payloads.addNew(this.payloadOf(order));
    await this.mayHaveWritten([doc._id], () => this.insertOne(order.snapshot.accountId, doc));
    this.insertedLately.add(doc._id);
    await this.lists.added([doc]);
    if (outbox.length) await this.markers.mark(doc._id, 'order');
  }

  /** Whether the order held events not yet published when it was loaded (they go out before any new one). */
  hadPendingEvents(order: OrderAggregate): boolean {
    return (this.loaded.get(order)?.pendingEvents ?? 0) > 0;
  }

  /**
   * Optimistic concurrency: one single-document update guarded by the version it was loaded with,
   * carrying the change, its history and its outbox entries. Throws VersionConflict on a miss.
   * The document is marked for the outbox relay.
   */
  async save(order: OrderAggregate, outbox: OutboxEntry[]): Promise<void> {
    this.justWritten.delete(order.snapshot.id);
    const { rev, update } = this.updateFor(order, outbox);
    await this.putPayload(order);
    await this.mayHaveWritten([order.snapshot.id], () =>
      this.guard.update(this.collection as never, { _id: order.snapshot.id }, rev, update, this.loaded.get(order)?.readAt),
    );
    await this.lists.changed(this.newDocument(order, []), this.loaded.get(order)?.orderedAt);
    if (outbox.length) await this.markers.mark(order.snapshot.id, 'order');
  }

  /**
   * `save` for a writer that publishes the new entries itself: the order stays held at its new
   * revision until `held.release()` and is not marked (`OutboxRelay.publishSaved` marks it if the
   * entries cannot be published and cleared).
   */
  async saveHolding(order: OrderAggregate, outbox: OutboxEntry[]): Promise<{ held: HeldRevisions; written: WrittenDocument }> {
    this.justWritten.delete(order.snapshot.id);
    const { rev, update } = this.updateFor(order, outbox);
    await this.putPayload(order);
    const held = await this.mayHaveWritten([order.snapshot.id], () =>
      this.guard.updateHolding(this.collection as never, { _id: order.snapshot.id }, rev, update, this.loaded.get(order)?.readAt),
    );
    try {
      await this.lists.changed(this.newDocument(order, []), this.loaded.get(order)?.orderedAt);
    } catch (err) {
      await this.markers.mark(order.snapshot.id, 'order').catch(() => undefined);
      await held.release();
      throw err;
    }
    return { held, written: { id: order.snapshot.id, rev: rev + 1, outbox } };
  }

  private payloadOf(order: OrderAggregate): { _id: string; accountId: string; rawPayload: string }[] {
    const { id, accountId, rawPayload } = order.snapshot;
    return rawPayload === undefined ? [] : [{ _id: id, accountId, rawPayload }];
  }

  /**
   * An order's payload is in memory only when it came with this change (a changed import) or the
   * order still held it inline (stored before payloads were kept apart): either way it goes to its place.
   */
  private async putPayload(order: OrderAggregate): Promise<void> {
    for (const payload of this.payloadOf(order)) await this.payloads.put(payload);
  }

  /** What the channel sent for the order, or undefined; the order's account is checked. */
  async rawPayloadOf(order: OrderAggregate): Promise<string | undefined> {
    return order.snapshot.rawPayload ?? this.payloads.of(order.snapshot.accountId, order.snapshot.id);
  }

  /**
   * A write that failed for another reason than a duplicate key or a conflict may have been applied
   * (the connection went away after the command went out). Its redelivery would then find the order
   * stored and write nothing, so the list copy is made from what is stored.
   */
  private async mayHaveWritten<R>(ids: string[], write: () => Promise<R>): Promise<R> {
    try {
      return await write();
    } catch (err) {
      if (!isDuplicateKey(err) && !(err instanceof VersionConflict)) await this.lists.maybeWritten(ids);
      throw err;
    }
  }

  private updateFor(order: OrderAggregate, outbox: OutboxEntry[]): { rev: number; update: Record<string, unknown> } {
    const loaded = this.loaded.get(order);
    if (!loaded) throw new Error('save() needs an order loaded by this repository');
    const { rev } = loaded;
    const data = order.snapshot;
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, ''> = {};
    for (const field of MUTABLE) {
      const value = data[field];
      // The write is guarded by the revision read, so what did not change is as stored; on FerretDB an
      // update that sets every field costs a third more than one that sets a few (docs/architecture.md).
      if (loaded.fields.get(field) === fieldValue(value)) continue;
      if (value === undefined) $unset[field] = '';
      else $set[field] = field === 'orderedAt' ? new Date(value as string) : plain(value);
    }
    if (loaded.inlinePayload) $unset.rawPayload = '';
    const { history } = order.changes;
    const box = outboxUpdate(outbox);
    const update: Record<string, unknown> = {
      $set: { ...$set, ...box.set },
      $inc: { version: 1 },
    };
    if (Object.keys($unset).length) update.$unset = $unset;
    const $push = { ...box.push, ...(history.length ? { history: { $each: plain(history) } } : {}) };
    if (Object.keys($push).length) update.$push = $push;
    // Written by `_id` alone (FerretDB's fast path): the aggregate was loaded through the account check.
    return { rev, update };
  }

  /** Orders created per connection since `since` (ISO, as `createdAt` is stored); connections without any are left out. */
  async countCreatedSince(accountId: string, since: string): Promise<{ connectionId: string; orders: number }[]> {
    const groups = await this.lists.aggregate<{ _id: string; orders: number }>([
      { $match: this.scoped(accountId, { createdAt: { $gte: since }, connectionId: { $exists: true } }) },
      { $group: { _id: '$connectionId', orders: { $sum: 1 } } },
    ]);
    return groups.map((g) => ({ connectionId: g._id, orders: g.orders }));
  }

  async list(accountId: string, f: OrderListFilter): Promise<OrderDoc[]> {
    const and: Filter[] = [];
    if (f.state?.length) and.push({ state: { $in: f.state } });
    if (f.connectionId) and.push({ connectionId: f.connectionId });
    if (f.tag) and.push({ tags: f.tag });
    if (f.from) and.push({ orderedAt: { $gte: new Date(f.from) } });
    if (f.to) and.push({ orderedAt: { $lte: new Date(f.to) } });
    if (f.search) {
      const re = { $regex: `^${escapeRegex(f.search)}`, $options: 'i' };
      and.push({
        $or: [{ orderNumber: re }, { externalId: re }, { 'buyer.firstName': re }, { 'buyer.lastName': re }, { 'buyer.email': re }],
      });
    }
    if (f.after) {
      and.push({ $or: [{ orderedAt: { $lt: f.after.orderedAt } }, { orderedAt: f.after.orderedAt, _id: { $lt: f.after.id } }] });
    }
    return this.page(accountId, and.length ? { $and: and } : {}, {
      sort: { orderedAt: -1, _id: -1 },
      limit: f.limit,
      projection: { history: 0, outbox: 0 },
    });
  }

  /** A page of a list; the filter may read only ORDER_LIST_FIELDS. */
  page(accountId: string, filter: Filter, options: ListPageOptions): Promise<OrderDoc[]> {
    return this.lists.find(this.scoped(accountId, filter), options);
  }

  count(accountId: string, filter: Filter): Promise<number> {
    return this.lists.count(this.scoped(accountId, filter));
  }

  /** Puts back list copies a crash left missing or behind (FerretDB; nothing to do on MongoDB). */
  repairLists(): Promise<number> {
    return this.lists.repair();
  }
}
