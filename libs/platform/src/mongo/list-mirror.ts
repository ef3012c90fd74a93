import type { mongo } from 'mongoose';
import type { HeadEntry, ListHeads } from './list-heads';
import { FERRETDB_STATEMENTS_PER_COMMAND } from './ferretdb-limits';
import { findByIds, type RevisionCheck } from './revision-guard';
import { SentTogether } from './sent-together';
import { duplicateKeyIndexes } from './write-errors';

export type ListFilter = Record<string, unknown>;

const RETRY_MS = 1_000;

export interface ListPageOptions {
  sort: Record<string, 1 | -1>;
  skip?: number;
  limit: number;
  projection?: Record<string, 0 | 1>;
}

type ListCopy = Record<string, unknown> & { _id: string };

/**
 * Lists (filter, sort, page, count, group) over a collection of large documents.
 *
 * MongoDB answers them from the collection's own indexes. FerretDB v1 (SQLite, the test database)
 * answers every filter but `{ _id }` by decoding each document of the collection, so a list costs in
 * proportion to the size of all documents: the newest 50 of 10 000 orders took 3.2 s, the same query
 * on 250-byte copies of them 0.45 s (docs/architecture.md). There each document has a copy of only
 * the fields lists filter and sort by (`<collection>_list`, same shape, so the same filter applies),
 * lists run on the copies and the page's documents are then read by `_id`.
 *
 * The copy is written after the document. A copy that could not be written (the database went away
 * after the document was stored) is written again every second until it is, and so is the copy of a
 * document whose own write failed but may have been applied (`maybeWritten`); a crash in between
 * leaves it missing or behind, and `repair` (run at start) puts back every copy that differs from
 * its document. With `heads`, the newest page of a partition is read from its head instead of a
 * scan of the copies; each head follows its copies.
 */
export class ListMirror<T extends { _id: string }> {
  /** Copies whose write failed, latest version per document, written again by `retryTimer`. */
  private readonly unwritten = new Map<string, T>();
  /** Documents whose write failed after it may have been applied: their copies are made from what is stored. */
  private readonly unsure = new Set<string>();
  /** Partitions whose head may have missed a copy's write: invalidated by `retryTimer`. */
  private readonly staleHeads = new Set<string>();
  private retryTimer?: NodeJS.Timeout;
  private retrying = false;
  /** Copies of changed documents, written together with those of other writers waiting meanwhile. */
  private readonly replacements = new SentTogether<ListCopy, void>((copies) => this.replaceCopiesNow(copies));

  constructor(
    private readonly source: mongo.Collection<T>,
    private readonly copies: mongo.Collection<ListCopy>,
    /** Top-level names or dotted paths; a filter, sort or group may use nothing else. */
    private readonly fields: readonly string[],
    private readonly check: RevisionCheck | Promise<RevisionCheck>,
    private readonly heads?: ListHeads,
  ) {}

  /** Whether lists run on the copies (FerretDB) rather than on the collection's indexes (MongoDB). */
  async mirrored(): Promise<boolean> {
    return (await this.check) === 'claims';
  }

  async find(filter: ListFilter, options: ListPageOptions): Promise<T[]> {
    if (!(await this.mirrored())) return (await this.source.find(filter as mongo.Filter<T>, options).toArray()) as T[];
    this.assertListed(filter, Object.keys(options.sort));
    const ids = (await this.newestFromHead(filter, options)) ?? (await this.scanIds(filter, options));
    return findByIds<T>(this.source as never, ids, 'claims', options.projection ? { projection: options.projection } : {});
  }

  private async scanIds(filter: ListFilter, options: ListPageOptions): Promise<string[]> {
    const copies = await this.copies
      .find(filter as mongo.Filter<ListCopy>, { sort: options.sort, skip: options.skip, limit: options.limit, projection: { _id: 1 } })
      .toArray();
    return copies.map((c) => c._id);
  }

  /** A partition's newest page from its head; a head that cannot answer is completed from the scan made instead. */
  private async newestFromHead(filter: ListFilter, options: ListPageOptions): Promise<string[] | undefined> {
    const heads = this.heads;
    const partition = heads?.answerable(filter, options.sort, options.skip, options.limit);
    if (!heads || partition === undefined) return undefined;
    const head = await heads.newest(partition, options.limit);
    if ('ids' in head) return head.ids;
    const scanned = await this.copies
      .find(filter as mongo.Filter<ListCopy>, { sort: options.sort, limit: head.scanLimit, projection: { _id: 1, [heads.sortKey]: 1 } })
      .toArray();
    await heads
      .complete(
        head.ticket,
        scanned.map((c) => heads.entryOf(c)),
      )
      .catch(() => undefined);
    return scanned.slice(0, options.limit).map((c) => c._id);
  }

  async count(filter: ListFilter): Promise<number> {
    if (!(await this.mirrored())) return this.source.countDocuments(filter as mongo.Filter<T>);
    this.assertListed(filter, []);
    return this.copies.countDocuments(filter as mongo.Filter<ListCopy>);
  }

  /** A grouping whose `$match` and `$group` read only listed fields. */
  async aggregate<R extends mongo.Document>(pipeline: mongo.Document[]): Promise<R[]> {
    if (!(await this.mirrored())) return this.source.aggregate<R>(pipeline).toArray();
    for (const stage of pipeline) if (stage.$match) this.assertListed(stage.$match as ListFilter, []);
    return this.copies.aggregate<R>(pipeline).toArray();
  }

  /**
   * Copies of documents just inserted, in one command. The documents are stored already, so a failed
   * copy does not fail the caller's write: it is kept and written again.
   */
  async added(docs: T[]): Promise<void> {
    if (!docs.length || !(await this.mirrored())) return;
    try {
      // a copy left by a repair or an earlier try of this write: bring it up to date
      for (const doc of await this.insertCopies(docs)) await this.replaceCopy(doc);
      for (const doc of docs) this.unwritten.delete(doc._id);
    } catch {
      this.keepForRetry(docs);
      return;
    }
    const heads = this.heads;
    if (!heads) return;
    const byPartition = new Map<string, HeadEntry[]>();
    for (const doc of docs) {
      const partition = heads.partitionOf(doc);
      if (partition === undefined) continue;
      const entries = byPartition.get(partition) ?? [];
      entries.push(heads.entryOf(doc));
      byPartition.set(partition, entries);
    }
    for (const [partition, entries] of byPartition) await heads.added(partition, entries).catch(() => this.keepHeadStale(partition));
  }

  /**
   * The copy of a document after an update (the fields lists read, as they are now); kept and written
   * again if that fails. `sortKeyBefore`: the heads' sort key as the document was read, if known.
   */
  async changed(doc: T, sortKeyBefore?: HeadEntry['key']): Promise<void> {
    if (!(await this.mirrored())) return;
    try {
      await this.replaceCopy(doc);
      this.unwritten.delete(doc._id);
    } catch {
      this.keepForRetry([doc]);
      return;
    }
    const partition = this.heads?.partitionOf(doc);
    if (!this.heads || partition === undefined) return;
    await this.heads.changed(partition, this.heads.entryOf(doc), sortKeyBefore).catch(() => this.keepHeadStale(partition));
  }

  /**
   * Documents whose write failed in a way that may have stored it anyway (the connection went away
   * after the command was sent). A redelivered command finds such a document stored and unchanged and
   * writes nothing, so its copy would stay missing or behind: the retry reads each one and writes its
   * copy from what is stored.
   */
  async maybeWritten(ids: string[]): Promise<void> {
    if (!ids.length || !(await this.mirrored())) return;
    for (const id of ids) this.unsure.add(id);
    this.retryEverySecond();
  }

  private keepHeadStale(partition: string): void {
    this.staleHeads.add(partition);
    this.retryEverySecond();
  }

  private async replaceCopy(doc: T): Promise<void> {
    await this.replacements.submit([this.copyOf(doc)]);
  }

  /** The last copy of each document, by `_id`, at most FERRETDB_STATEMENTS_PER_COMMAND per command. */
  private async replaceCopiesNow(copies: ListCopy[]): Promise<void[]> {
    const latest = [...new Map(copies.map((c) => [c._id, c])).values()];
    for (let at = 0; at < latest.length; at += FERRETDB_STATEMENTS_PER_COMMAND) {
      await this.copies.bulkWrite(
        latest
          .slice(at, at + FERRETDB_STATEMENTS_PER_COMMAND)
          .map((copy) => ({ replaceOne: { filter: { _id: copy._id }, replacement: copy, upsert: true } })),
        { ordered: false },
      );
    }
    return copies.map(() => undefined);
  }

  private keepForRetry(docs: T[]): void {
    for (const doc of docs) this.unwritten.set(doc._id, doc);
    this.retryEverySecond();
  }

  private retryEverySecond(): void {
    this.retryTimer ??= setInterval(() => void this.retryUnwritten(), RETRY_MS).unref();
  }

  private async retryUnwritten(): Promise<void> {
    if (this.retrying) return;
    this.retrying = true;
    try {
      await this.writeUnwritten();
    } finally {
      this.retrying = false;
    }
  }

  private async writeUnwritten(): Promise<void> {
    for (const id of [...this.unsure]) {
      try {
        const stored = await this.source.findOne({ _id: id } as mongo.Filter<T>);
        if (stored && !this.unwritten.has(id)) this.unwritten.set(id, stored as T);
        this.unsure.delete(id);
      } catch {
        return;
      }
    }
    for (const [id, doc] of [...this.unwritten]) {
      try {
        await this.replaceCopy(doc);
        if (this.unwritten.get(id) === doc) this.unwritten.delete(id);
      } catch {
        return; // the database is still away: next tick
      }
      // its head never heard of this copy; only now, with the copy written, may a scan complete the head again
      const partition = this.heads?.partitionOf(doc);
      if (partition !== undefined) this.staleHeads.add(partition);
    }
    for (const partition of [...this.staleHeads]) {
      try {
        await this.heads?.invalidate(partition);
        this.staleHeads.delete(partition);
      } catch {
        return;
      }
    }
    if (this.unwritten.size === 0 && this.unsure.size === 0 && this.staleHeads.size === 0 && this.retryTimer) {
      clearInterval(this.retryTimer);
      this.retryTimer = undefined;
    }
  }

  /**
   * Puts back every copy that is missing or differs from its document (after a crash between the two
   * writes, or for documents written before the copies existed). Returns how many were written.
   */
  async repair(): Promise<number> {
    if (!(await this.mirrored())) return 0;
    const projection = Object.fromEntries(this.fields.map((f) => [f, 1]));
    const copies = new Map<string, string>();
    for await (const copy of this.copies.find({})) copies.set(copy._id, JSON.stringify(copy));
    const missing: T[] = [];
    const stale: string[] = [];
    for await (const doc of this.source.find({}, { projection })) {
      const known = copies.get(doc._id);
      if (known === undefined) missing.push(doc as T);
      else if (known !== JSON.stringify(this.copyOf(doc as T))) stale.push(doc._id);
    }
    // a copy written meanwhile by the document's own writer is the newer one: left as it is
    for (let at = 0; at < missing.length; at += 500) await this.insertCopies(missing.slice(at, at + 500));
    // re-read: a writer may have moved the document on (and written its copy) since the scan
    for (let at = 0; at < stale.length; at += FERRETDB_STATEMENTS_PER_COMMAND) {
      const docs = await findByIds<T>(this.source as never, stale.slice(at, at + FERRETDB_STATEMENTS_PER_COMMAND), 'claims', {
        projection,
      });
      for (const doc of docs) await this.replaceCopy(doc);
    }
    // heads followed the copies, but not across a crash or these writes: each is completed again by the next scan
    await this.heads?.invalidateAll();
    return missing.length + stale.length;
  }

  /** Inserts the copies in one command; returns the documents whose copy was there already. */
  private async insertCopies(docs: T[]): Promise<T[]> {
    try {
      await this.copies.insertMany(
        docs.map((d) => this.copyOf(d)),
        { ordered: false },
      );
      return [];
    } catch (err) {
      return duplicateKeyIndexes(err).map((i) => docs[i] as T);
    }
  }

  /** The listed fields of a document, in the document's own shape (dotted paths become nested objects). */
  private copyOf(doc: T): ListCopy {
    const copy: ListCopy = { _id: doc._id };
    for (const path of this.fields) {
      const parts = path.split('.');
      let value: unknown = doc;
      for (const part of parts) value = value === null || typeof value !== 'object' ? undefined : (value as Record<string, unknown>)[part];
      if (value === undefined) continue;
      let target: Record<string, unknown> = copy;
      for (const part of parts.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
      target[parts[parts.length - 1] as string] = value;
    }
    return copy;
  }

  /** A list over a field the copies lack would silently find nothing: a programming error, caught here. */
  private assertListed(filter: ListFilter, sortFields: string[]): void {
    const listed = (path: string) => path === '_id' || this.fields.some((f) => path === f || path.startsWith(`${f}.`));
    const unknown = [...fieldsOf(filter), ...sortFields].filter((path) => !listed(path));
    if (unknown.length) throw new Error(`list over fields without a copy: ${unknown.join(', ')}`);
  }
}

/** The field paths a filter reads (through `$and`, `$or`, `$nor`). */
function fieldsOf(filter: ListFilter): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' || key === '$or' || key === '$nor') for (const sub of value as ListFilter[]) out.push(...fieldsOf(sub));
    else if (!key.startsWith('$')) out.push(key);
  }
  return out;
}
