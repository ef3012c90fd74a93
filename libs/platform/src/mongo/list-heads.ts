import type { mongo } from 'mongoose';
import { type RevisionGuard, VersionConflict } from './revision-guard';
import { isDuplicateKey } from './write-errors';

type SortKey = Date | number | string;

/** One document of a head: its id and the value it is sorted by. */
export interface HeadEntry {
  id: string;
  key: SortKey;
}

/**
 * The newest documents of one partition (e.g. one account's orders), newest first.
 * - `complete`: `entries` are the partition's newest `entries.length` documents. An incomplete head
 *   only gathers what was added since it was made, until a list scan completes it.
 * - `all`: `entries` are every document of the partition.
 * - `epoch` moves on whenever the head may have missed a change: a scan that began before cannot complete it.
 */
export interface HeadDoc {
  _id: string;
  entries: HeadEntry[];
  complete: boolean;
  all: boolean;
  epoch: number;
  rev?: number;
}

/** A head to be completed from a list scan that starts after it was read. */
export interface HeadTicket {
  partition: string;
  epoch: number;
}

export interface ListHeadsOptions {
  /** The field that splits the list: each of its values has a head (e.g. `accountId`). */
  partition: string;
  /** Lists sorted by this field, then `_id`, both descending, are answered from the heads. */
  sortKey: string;
  heads: mongo.Collection<HeadDoc>;
  guard: RevisionGuard;
  /** Entries kept per head (default 250). */
  size?: number;
}

const ATTEMPTS = 20;

const order = (k: SortKey) => (k instanceof Date ? k.getTime() : k);
const newestFirst = (a: HeadEntry, b: HeadEntry) => {
  const ka = order(a.key);
  const kb = order(b.key);
  if (ka !== kb) return ka < kb ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
};
const sameKey = (a: SortKey | undefined, b: SortKey | undefined) => a !== undefined && b !== undefined && order(a) === order(b);

/**
 * The first page of a partition's list, newest first, without a scan: on FerretDB the newest page of
 * 10 000 orders took 0.56 s through the list copies, every time, on an idle machine (docs/architecture.md).
 * Each partition has one small head document, read by `_id`. Heads are a cache, kept right by three
 * rules: every write of a copy is followed by its head's update; a head that may have missed one
 * (its update failed, or a crash came between) is marked incomplete; only a list scan that began
 * after the head was read, in the same epoch, completes it. All head writes are revision-guarded.
 */
export class ListHeads {
  private readonly size: number;

  constructor(private readonly options: ListHeadsOptions) {
    this.size = options.size ?? 250;
  }

  get sortKey(): string {
    return this.options.sortKey;
  }

  /** The head a document (or its list copy) belongs to; undefined without a string partition value. */
  partitionOf(doc: Record<string, unknown>): string | undefined {
    const value = doc[this.options.partition];
    return typeof value === 'string' ? value : undefined;
  }

  entryOf(doc: Record<string, unknown> & { _id: string }): HeadEntry {
    return { id: doc._id, key: doc[this.options.sortKey] as SortKey };
  }

  /** The partition a list reads whole, newest first, within a head's size; undefined for any other list. */
  answerable(filter: Record<string, unknown>, sort: Record<string, 1 | -1>, skip: number | undefined, limit: number): string | undefined {
    const keys = Object.keys(filter);
    const value = filter[this.options.partition];
    if (keys.length !== 1 || typeof value !== 'string' || skip || limit > this.size) return undefined;
    const s = Object.entries(sort);
    const newest = s.length === 2 && s[0]?.[0] === this.options.sortKey && s[0][1] === -1 && s[1]?.[0] === '_id' && s[1][1] === -1;
    return newest ? value : undefined;
  }

  /** The ids of the partition's newest `limit` documents, or a ticket to complete its head from the scan the caller now runs. */
  async newest(partition: string, limit: number): Promise<{ ids: string[] } | { ticket: HeadTicket; scanLimit: number }> {
    let head = await this.options.heads.findOne({ _id: partition });
    if (!head) {
      const empty: HeadDoc = { _id: partition, entries: [], complete: false, all: false, epoch: 0, rev: 0 };
      head = (await this.insert(empty)) ? empty : await this.options.heads.findOne({ _id: partition });
    }
    if (head?.complete && (head.all || head.entries.length >= limit)) return { ids: head.entries.slice(0, limit).map((e) => e.id) };
    return { ticket: { partition, epoch: head?.epoch ?? 0 }, scanLimit: this.size };
  }

  /** Completes a head from a scan begun after `ticket` was issued; gives up when the head moved to a new epoch. */
  async complete(ticket: HeadTicket, scanned: HeadEntry[]): Promise<void> {
    await this.change(ticket.partition, (head) => {
      if (head.epoch !== ticket.epoch) return undefined;
      // the head's entries were written after their copies: newer than the scan where both have one
      const merged = top([...scanned, ...head.entries], this.size);
      return { entries: merged.entries, complete: true, all: scanned.length < this.size && !merged.truncated };
    });
  }

  /** New documents of one partition. */
  async added(partition: string, entries: HeadEntry[]): Promise<void> {
    if (!entries.length) return;
    const fresh = top(entries, this.size);
    const created = await this.insert({ _id: partition, entries: fresh.entries, complete: false, all: false, epoch: 0 });
    if (created) return;
    await this.change(partition, (head) => {
      const merged = top([...head.entries, ...entries], this.size);
      return { entries: merged.entries, all: head.all && !merged.truncated };
    });
  }

  /** A document whose sort key may have changed (`before` undefined: not known). */
  async changed(partition: string, entry: HeadEntry, before: SortKey | undefined): Promise<void> {
    if (sameKey(before, entry.key)) return;
    await this.change(partition, (head) => {
      const at = head.entries.findIndex((e) => e.id === entry.id);
      if (at >= 0 && sameKey(head.entries[at]?.key, entry.key)) return undefined;
      const others = head.entries.filter((e) => e.id !== entry.id);
      // an incomplete head cannot tell where the document stands, and a scan begun before may have its old key
      if (!head.complete) return { entries: at >= 0 ? top([...others, entry], this.size).entries : head.entries, epoch: head.epoch + 1 };
      const last = others[others.length - 1];
      const fits = head.all || (last !== undefined && newestFirst(entry, last) < 0);
      if (at < 0 && !fits) return undefined;
      const merged = top(fits ? [...others, entry] : others, this.size);
      return { entries: merged.entries, all: head.all && !merged.truncated };
    });
  }

  /** A head that may have missed a write: emptied (its entries may be behind) until a scan completes it again. */
  async invalidate(partition: string): Promise<void> {
    await this.change(partition, (head) => ({ entries: [], complete: false, all: false, epoch: head.epoch + 1 }));
  }

  async invalidateAll(): Promise<void> {
    for await (const head of this.options.heads.find({}, { projection: { _id: 1 } })) await this.invalidate(head._id);
  }

  private async insert(head: HeadDoc): Promise<boolean> {
    try {
      await this.options.heads.insertOne({ ...head, rev: 0 });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** A guarded read-modify-write of one head, retried on a conflict; `next` undefined: nothing to write. */
  private async change(partition: string, next: (head: HeadDoc) => Partial<HeadDoc> | undefined): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const head = await this.options.heads.findOne({ _id: partition });
      if (!head) return;
      const $set = next(head);
      if (!$set) return;
      try {
        await this.options.guard.update(this.options.heads as never, { _id: partition }, head.rev ?? 0, { $set });
        return;
      } catch (err) {
        if (!(err instanceof VersionConflict) || attempt >= ATTEMPTS) throw err;
      }
    }
  }
}

function top(entries: HeadEntry[], size: number): { entries: HeadEntry[]; truncated: boolean } {
  // the last entry of an id wins
  const byId = new Map(entries.map((e) => [e.id, e]));
  const sorted = [...byId.values()].sort(newestFirst);
  return { entries: sorted.slice(0, size), truncated: sorted.length > size };
}
