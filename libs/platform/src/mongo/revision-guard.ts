import type { mongo } from 'mongoose';

/** E11000: a unique index (or `_id`) refused the write. */
export function isDuplicateKey(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as { code?: number }).code === 11000;
}

/**
 * The indexes an unordered `insertMany` refused because of a duplicate key (E11000); an error with
 * any other cause is thrown again.
 */
export function duplicateKeyIndexes(err: unknown): number[] {
  const errors = (err as { writeErrors?: unknown }).writeErrors;
  const list = (Array.isArray(errors) ? errors : errors ? [errors] : []) as { index: number; code?: number }[];
  if (!list.length || list.some((e) => e.code !== 11000)) throw err;
  return list.map((e) => e.index);
}

export class VersionConflict extends Error {
  constructor() {
    super('document changed meanwhile');
  }
}

interface WriteClaim {
  _id: string;
  at: Date;
}

const STALE_CLAIM_MS = 15_000;
/** Below FerretDB v1's 100 SQLite connections, each statement of one update command holds one. */
export const FERRETDB_STATEMENTS_PER_COMMAND = 50;

/** One write of `RevisionGuard.updateMany`: applies if the document is still at `rev`. */
export interface GuardedWrite {
  _id: string;
  rev: number;
  update: Record<string, unknown>;
}

/**
 * New documents their inserter holds (`RevisionGuard.holdNew`); `release(done)` lets other writers at
 * them: on MongoDB only at those in `done` (the others stay held until `releaseNew`).
 */
export interface NewDocuments {
  ids: Set<string>;
  release(done: string[]): Promise<void>;
}

/** Revisions a writer holds (`RevisionGuard.updateHolding`) until it has written them again. */
export interface HeldRevisions {
  ids: Set<string>;
  release(): Promise<void>;
}

const withRev = (w: GuardedWrite) => ({ ...w.update, $inc: { ...((w.update.$inc as Record<string, number>) ?? {}), rev: 1 } });

/**
 * Reads documents by `_id`: one `find({ _id: { $in } })` on MongoDB; on FerretDB one `findOne` per id,
 * since it uses its primary key only for a filter that is exactly `{ _id }` (an `$in` reads the whole
 * collection).
 */
export async function findByIds<T>(
  collection: mongo.Collection<never>,
  ids: string[],
  check: RevisionCheck | Promise<RevisionCheck>,
  options: mongo.FindOptions = {},
): Promise<T[]> {
  if (!ids.length) return [];
  if ((await check) === 'conditional') return (await collection.find({ _id: { $in: ids } } as never, options).toArray()) as T[];
  const docs = await Promise.all(ids.map((_id) => collection.findOne({ _id } as never, options)));
  return docs.filter((d) => d !== null) as T[];
}

/**
 * How a guarded write makes sure nobody changed the document since it was read:
 * - `conditional`: one `updateOne({ _id, rev })`. MongoDB checks the filter and writes atomically.
 * - `claims`: for FerretDB v1 (SQLite), which runs an update as read, then write: a filter like
 *   `{ _id, rev }` is checked on a snapshot, so two concurrent conditional updates both "match" and
 *   one is lost (measured). Its one atomic check is a unique key on insert, so each write first
 *   inserts a claim `<collection>:<id>:<rev>`; only the claimant of a revision may write it, and the
 *   claim is removed once the document has moved on (a late writer then finds a newer `rev`). A claim
 *   left by a crash between insert and update is cleared after STALE_CLAIM_MS. Holding the claim, the
 *   writer checks `rev` with a read and updates by `_id` alone: FerretDB v1 uses its primary key only
 *   for a filter that is exactly `{ _id }`, any other filter reads the whole collection.
 */
export type RevisionCheck = 'conditional' | 'claims';

/**
 * `conditional` on MongoDB; `claims` on FerretDB (its buildInfo names a FerretDB version), and when
 * the server cannot be asked: claims are correct on every backend, only slower.
 */
export async function revisionCheckFor(db: mongo.Db): Promise<RevisionCheck> {
  try {
    const info = await db.admin().command({ buildInfo: 1 });
    return 'ferretdbVersion' in info ? 'claims' : 'conditional';
  } catch {
    return 'claims';
  }
}

/**
 * Optimistic concurrency for single-document writes: an update applies only if the document is still
 * at the revision the writer read, and moves `rev` on. Every writer of a guarded collection goes
 * through it (a write around it would not move `rev`).
 */
export class RevisionGuard {
  constructor(
    private readonly claims: mongo.Collection<WriteClaim>,
    private readonly name: string,
    /** Known, or still being found out (a promise the first write waits for). */
    private readonly check: RevisionCheck | Promise<RevisionCheck>,
  ) {}

  async update(collection: mongo.Collection<never>, filter: { _id: string }, rev: number, update: Record<string, unknown>): Promise<void> {
    const $inc = { ...((update.$inc as Record<string, number> | undefined) ?? {}), rev: 1 };
    const write = { ...update, $inc } as never;
    if ((await this.check) === 'conditional') {
      if (rev < 0) throw new VersionConflict(); // a new document its inserter still holds (`holdNew`)
      // A document written before `rev` existed counts as revision 0 (`null` matches a missing field).
      const result = await collection.updateOne({ _id: filter._id, rev: rev === 0 ? { $in: [0, null] } : rev } as never, write);
      if (result.matchedCount !== 1) throw new VersionConflict();
      return;
    }
    const claimId = `${this.name}:${filter._id}:${rev}`;
    try {
      await this.claims.insertOne({ _id: claimId, at: new Date() });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await this.clearIfStale(claimId);
      throw new VersionConflict();
    }
    try {
      const current = (await collection.findOne({ _id: filter._id } as never, { projection: { rev: 1 } })) as { rev?: number } | null;
      if (!current || (current.rev ?? 0) !== rev) throw new VersionConflict();
      const result = await collection.updateOne({ _id: filter._id } as never, write);
      if (result.matchedCount !== 1) throw new VersionConflict();
    } finally {
      await this.claims.deleteOne({ _id: claimId }).catch(() => undefined);
    }
  }

  /**
   * `update`, and then holds the document at its new revision (`rev + 1`) until `release`, so the
   * writer may write it once more without reading it again (`updateHeld`: e.g. clearing the outbox
   * entries it has just published). On FerretDB both claims go in one command and are removed in one.
   */
  async updateHolding(
    collection: mongo.Collection<never>,
    filter: { _id: string },
    rev: number,
    update: Record<string, unknown>,
  ): Promise<HeldRevisions> {
    if ((await this.check) === 'conditional') {
      await this.update(collection, filter, rev, update);
      return { ids: new Set([filter._id]), release: async () => undefined };
    }
    const claimIds = [rev, rev + 1].map((r) => `${this.name}:${filter._id}:${r}`);
    const claimed = await this.insertClaims(claimIds);
    const release = async () => {
      const held = [...claimed].map((i) => claimIds[i] as string);
      if (held.length) await this.claims.deleteMany({ _id: { $in: held } }).catch(() => undefined);
    };
    try {
      // The next revision claimed already is as good as a conflict: a writer that crashed holding it.
      for (const [i, claimId] of claimIds.entries()) if (!claimed.has(i)) await this.clearIfStale(claimId);
      if (claimed.size !== claimIds.length) throw new VersionConflict();
      const current = (await collection.findOne({ _id: filter._id } as never, { projection: { rev: 1 } })) as { rev?: number } | null;
      if (!current || (current.rev ?? 0) !== rev) throw new VersionConflict();
      const result = await collection.updateOne({ _id: filter._id } as never, withRev({ _id: filter._id, rev, update }) as never);
      if (result.matchedCount !== 1) throw new VersionConflict();
    } catch (err) {
      await release();
      throw err;
    }
    return { ids: new Set([filter._id]), release };
  }

  /**
   * Many guarded writes in one go (a batch): returns the ids written; the others had moved on (or
   * could not be told apart from that) and are the caller's to retry. MongoDB: one `bulkWrite` of
   * conditional updates. FerretDB: the claims in one `insertMany`, the revisions read by `_id`, the
   * updates by `_id` in one `bulkWrite`, the claims removed in one `deleteMany`.
   */
  async updateMany(collection: mongo.Collection<never>, writes: GuardedWrite[]): Promise<Set<string>> {
    if (!writes.length) return new Set();
    if ((await this.check) === 'conditional') {
      if (writes.some((w) => w.rev < 0)) return new Set(); // held by their inserter (`holdNew`)
      const result = await collection.bulkWrite(
        writes.map((w) => ({
          updateOne: { filter: { _id: w._id, rev: w.rev === 0 ? { $in: [0, null] } : w.rev } as never, update: withRev(w) as never },
        })),
        { ordered: false },
      );
      if (result.matchedCount === writes.length) return new Set(writes.map((w) => w._id));
      // Which ones missed is not in the answer: a document now one revision on may be ours or another
      // writer's, so only those still at their old revision are known to be missed; count none as written.
      return new Set();
    }
    const claimIds = writes.map((w) => `${this.name}:${w._id}:${w.rev}`);
    const claimed = await this.insertClaims(claimIds);
    const mine = [...claimed].map((i) => writes[i] as GuardedWrite);
    try {
      const current = await Promise.all(
        mine.map((w) => collection.findOne({ _id: w._id } as never, { projection: { rev: 1 } }) as Promise<{ rev?: number } | null>),
      );
      const due = mine.filter((w, i) => (current[i]?.rev ?? -1) === w.rev || (w.rev === 0 && current[i] && current[i].rev === undefined));
      if (!due.length) return new Set();
      await this.bulkById(collection, due); // each document is held by its claim
      return new Set(due.map((w) => w._id));
    } finally {
      const held = [...claimed].map((i) => claimIds[i] as string);
      await this.claims.deleteMany({ _id: { $in: held } }).catch(() => undefined);
    }
  }

  /** Inserts the claims in one command; the indexes of those inserted (another writer holds the rest). */
  private async insertClaims(claimIds: string[]): Promise<Set<number>> {
    const inserted = new Set(claimIds.map((_, i) => i));
    try {
      await this.claims.insertMany(
        claimIds.map((_id) => ({ _id, at: new Date() })),
        { ordered: false },
      );
    } catch (err) {
      for (const i of duplicateKeyIndexes(err)) inserted.delete(i);
    }
    return inserted;
  }

  /**
   * The revision new documents are inserted with so that their inserter holds them until
   * `NewDocuments.release` (e.g. until their first events are published, so that no other writer's
   * event goes out before them): -1 on MongoDB, where guarded writes refuse a negative revision;
   * 0 on FerretDB, where `holdNew` claims it.
   */
  async newRevision(): Promise<number> {
    return (await this.check) === 'conditional' ? -1 : 0;
  }

  /**
   * Holds documents about to be inserted at `newRevision()`. FerretDB: their revision-0 claims in one
   * command, all removed in one by `release`. MongoDB: nothing to insert; `release` moves the given
   * documents from -1 to 0 with one `updateMany` (`releaseNew` does that alone, e.g. after a restart).
   */
  async holdNew(ids: string[], collection: mongo.Collection<never>): Promise<NewDocuments> {
    if ((await this.check) === 'conditional' || !ids.length) {
      return { ids: new Set(ids), release: (done) => this.releaseNew(collection, done) };
    }
    const claimIds = ids.map((id) => `${this.name}:${id}:0`);
    const held = await this.insertClaims(claimIds);
    const mine = [...held].map((i) => claimIds[i] as string);
    return {
      ids: new Set([...held].map((i) => ids[i] as string)),
      release: async () => {
        if (mine.length) await this.claims.deleteMany({ _id: { $in: mine } }).catch(() => undefined);
      },
    };
  }

  /** Lets other writers at documents inserted at `newRevision()` (MongoDB; nothing to do on FerretDB). */
  async releaseNew(collection: mongo.Collection<never>, ids: string[]): Promise<void> {
    if ((await this.check) !== 'conditional' || !ids.length) return;
    await collection.updateMany({ _id: { $in: ids }, rev: -1 } as never, { $set: { rev: 0 } } as never);
  }

  /**
   * Guarded writes of documents held at `rev` (see `updateHolding`): on FerretDB by `_id` alone
   * without reading the revision again; on MongoDB as `updateMany`. Returns the ids written.
   */
  async updateHeld(collection: mongo.Collection<never>, held: HeldRevisions, writes: GuardedWrite[]): Promise<Set<string>> {
    if ((await this.check) === 'conditional') return this.updateMany(collection, writes);
    const due = writes.filter((w) => held.ids.has(w._id));
    await this.bulkById(collection, due);
    return new Set(due.map((w) => w._id));
  }

  private async bulkById(collection: mongo.Collection<never>, writes: GuardedWrite[]): Promise<void> {
    // By `_id` alone (FerretDB's fast path). FerretDB keeps a SQLite connection per statement of an
    // update command until the command ends and has 100 of them: a command with 100 statements
    // waits for itself for ever (seen with 256).
    for (let at = 0; at < writes.length; at += FERRETDB_STATEMENTS_PER_COMMAND) {
      await collection.bulkWrite(
        writes
          .slice(at, at + FERRETDB_STATEMENTS_PER_COMMAND)
          .map((w) => ({ updateOne: { filter: { _id: w._id } as never, update: withRev(w) as never } })),
        { ordered: false },
      );
    }
  }

  private async clearIfStale(claimId: string): Promise<void> {
    const claim = await this.claims.findOne({ _id: claimId });
    if (claim && Date.now() - claim.at.getTime() > STALE_CLAIM_MS) await this.claims.deleteOne({ _id: claimId, at: claim.at });
  }
}
