import type { mongo } from 'mongoose';
import { runInContext } from '../logging/request-context';
import { deleteByIds } from './delete-by-ids';
import { FERRETDB_STATEMENTS_PER_COMMAND } from './ferretdb-limits';
import { InsertsTogether } from './inserts-together';
import { SentTogether } from './sent-together';
import { duplicateKeyIndexes, statementErrors } from './write-errors';

/** Inserts what is not stored yet: documents whose `_id` exists stay as they are. */
export async function insertManyKeepingExisting<T extends { _id: string }>(collection: mongo.Collection<T>, docs: T[]): Promise<void> {
  if (!docs.length) return;
  try {
    await collection.insertMany(docs as mongo.OptionalUnlessRequiredId<T>[], { ordered: false });
  } catch (err) {
    duplicateKeyIndexes(err);
  }
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
/**
 * A writer whose read of the document began less than this before its claim went in needs no second
 * read of the revision (see RevisionCheck). Well below STALE_CLAIM_MS, so that clocks of replicas
 * may differ by seconds.
 */
const FRESH_READ_MS = 5_000;
/** Claims outlive their write as tombstones this long, and are then swept (one `deleteMany`). */
const TOMBSTONE_MS = 60_000;
/** Holds (`updateHolding`) whose next revision `updateHeld` has written, by any guard: that claim stays. */
const heldWritten = new WeakSet<HeldRevisions>();
/** When each claims collection (`db.collection`) was last swept of old tombstones, by this process. */
const lastSweep = new Map<string, number>();

/** A guarded write's answer: its document was there (and is written), was not, or the server refused the write. */
type WriteOutcome = boolean | Error;

/** One write of `RevisionGuard.updateHeld`: applies if the document is still at `rev`. */
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
 *   inserts a claim `<collection>:<id>:<rev>`; only the claimant of a revision may write it. Claims
 *   stay after the write as tombstones: a late writer that read the old revision finds its claim
 *   taken. A writer whose read is younger than FRESH_READ_MS therefore updates by `_id` right after
 *   its claim; an older read is checked with a second read, since a tombstone goes after
 *   TOMBSTONE_MS (swept) or STALE_CLAIM_MS (cleared by a writer it blocks, as is a claim left by a
 *   crash between insert and update). Updates go by `_id` alone: FerretDB v1 uses its primary key
 *   only for a filter that is exactly `{ _id }`, any other filter reads the whole collection.
 */
export type RevisionCheck = 'conditional' | 'claims';

/**
 * `conditional` on MongoDB; `claims` on FerretDB (its buildInfo names a FerretDB version), and when
 * the server cannot be asked: claims are correct on every backend, only slower. `codePath: 'mongodb'`
 * forces `conditional` (counting MongoDB's commands on the test database with one writer).
 */
export async function revisionCheckFor(db: mongo.Db, codePath: 'auto' | 'mongodb' = 'auto'): Promise<RevisionCheck> {
  if (codePath === 'mongodb') return 'conditional';
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
  /**
   * FerretDB's writes of concurrent writers, sent together: claims (exclusive: a claim found stored
   * is another writer's), and per collection the updates by `_id` after a claim (`found`: whether the
   * document was there).
   */
  private readonly claimInserts: InsertsTogether<WriteClaim>;
  private readonly updatesById = new WeakMap<mongo.Collection<never>, SentTogether<GuardedWrite, WriteOutcome>>();

  constructor(
    private readonly claims: mongo.Collection<WriteClaim>,
    private readonly name: string,
    /** Known, or still being found out (a promise the first write waits for). */
    private readonly check: RevisionCheck | Promise<RevisionCheck>,
  ) {
    this.claimInserts = new InsertsTogether(claims, { exclusive: true });
  }

  /**
   * `readAt` is when the writer began reading the document at `rev` (`Date.now()` before the read);
   * without it the revision is read again after the claim.
   */
  async update(
    collection: mongo.Collection<never>,
    filter: { _id: string },
    rev: number,
    update: Record<string, unknown>,
    readAt?: number,
  ): Promise<void> {
    if ((await this.check) === 'conditional') {
      if (rev < 0) throw new VersionConflict(); // a new document its inserter still holds (`holdNew`)
      // A document written before `rev` existed counts as revision 0 (`null` matches a missing field).
      const result = await collection.updateOne(
        { _id: filter._id, rev: rev === 0 ? { $in: [0, null] } : rev } as never,
        withRev({ _id: filter._id, rev, update }) as never,
      );
      if (result.matchedCount !== 1) throw new VersionConflict();
      return;
    }
    await (await this.hold(collection, filter._id, rev, update, readAt, false)).release();
  }

  /**
   * `update`, and then holds the document at its new revision (`rev + 1`) until `release`, so the
   * writer may write it once more without reading it again (`updateHeld`: e.g. clearing the outbox
   * entries it has just published). On FerretDB both claims go in one command.
   */
  async updateHolding(
    collection: mongo.Collection<never>,
    filter: { _id: string },
    rev: number,
    update: Record<string, unknown>,
    readAt?: number,
  ): Promise<HeldRevisions> {
    if ((await this.check) === 'conditional') {
      await this.update(collection, filter, rev, update);
      return { ids: new Set([filter._id]), release: async () => undefined };
    }
    return this.hold(collection, filter._id, rev, update, readAt, true);
  }

  /**
   * The claims way of `update` and `updateHolding`: claims `rev` (and `rev + 1` when holding) and
   * writes. The claim of `rev` stays as a tombstone. A held `rev + 1` is let go by `release` unless
   * `updateHeld` wrote it: then it is a tombstone too.
   */
  private async hold(
    collection: mongo.Collection<never>,
    id: string,
    rev: number,
    update: Record<string, unknown>,
    readAt: number | undefined,
    holding: boolean,
  ): Promise<HeldRevisions> {
    const revs = holding ? [rev, rev + 1] : [rev];
    const claimIds = revs.map((r) => `${this.name}:${id}:${r}`);
    const claimed = await this.insertClaims(claimIds);
    let next = holding && claimed.has(1) ? (claimIds[1] as string) : undefined;
    const held: HeldRevisions = {
      ids: new Set([id]),
      release: async () => {
        const claim = next;
        next = undefined;
        if (claim && !heldWritten.delete(held)) await this.claims.deleteOne({ _id: claim }).catch(() => undefined);
      },
    };
    try {
      // The next revision claimed already is as good as a conflict: a writer that crashed holding it.
      for (const [i, claimId] of claimIds.entries()) if (!claimed.has(i)) await this.clearIfStale(claimId);
      if (claimed.size !== claimIds.length) throw new VersionConflict();
      if (readAt === undefined || Date.now() - readAt >= FRESH_READ_MS) {
        const current = (await collection.findOne({ _id: id } as never, { projection: { rev: 1 } })) as { rev?: number } | null;
        const at = current ? (current.rev ?? 0) : undefined;
        if (at !== rev) {
          // Our claims of revisions the document has not reached would block its writers; those of
          // revisions it has passed stay as tombstones.
          const blocking = claimIds.filter((c, i) => c !== next && (at === undefined || (revs[i] as number) >= at));
          await this.deleteClaims(blocking);
          throw new VersionConflict();
        }
      }
    } catch (err) {
      await held.release();
      throw err;
    }
    // An update that fails from here on may have been written: the claims stay and go stale.
    const [found] = await this.byIdTogether(collection).submit([{ _id: id, rev, update }]);
    if (found instanceof Error) throw found;
    if (!found) {
      await held.release();
      throw new VersionConflict();
    }
    this.sweepTombstones();
    return held;
  }

  /** Removes tombstones older than TOMBSTONE_MS, in the background, at most every half of that. */
  private sweepTombstones(): void {
    const key = `${this.claims.dbName}.${this.claims.collectionName}`;
    const now = Date.now();
    if (now - (lastSweep.get(key) ?? 0) < TOMBSTONE_MS / 2) return;
    lastSweep.set(key, now);
    // Housekeeping, not the work of the write that happens to start it (bench/src/work-cost.ts phases).
    void runInContext({ phase: 'periodic' }, () => this.claims.deleteMany({ at: { $lt: new Date(now - TOMBSTONE_MS) } })).catch(
      () => undefined,
    );
  }

  /**
   * Conditional updates in one `bulkWrite` (MongoDB): the ids written, all or none, since which ones
   * missed is not in the answer (a document now one revision on may be ours or another writer's).
   */
  private async updateManyConditional(collection: mongo.Collection<never>, writes: GuardedWrite[]): Promise<Set<string>> {
    if (!writes.length || writes.some((w) => w.rev < 0)) return new Set(); // held by their inserter (`holdNew`)
    const result = await collection.bulkWrite(
      writes.map((w) => ({
        updateOne: { filter: { _id: w._id, rev: w.rev === 0 ? { $in: [0, null] } : w.rev } as never, update: withRev(w) as never },
      })),
      { ordered: false },
    );
    return result.matchedCount === writes.length ? new Set(writes.map((w) => w._id)) : new Set();
  }

  /**
   * Inserts the claims, together with other writers' claims waiting meanwhile; the indexes of those
   * inserted (another writer holds the rest).
   */
  private async insertClaims(claimIds: string[]): Promise<Set<number>> {
    const at = new Date();
    const inserted = await this.claimInserts.insert(claimIds.map((_id) => ({ _id, at })));
    return new Set(claimIds.map((_, i) => i).filter((i) => inserted[i]));
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
        await this.deleteClaims(mine);
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
   * without reading the revision again; on MongoDB as conditional updates. Returns the ids written.
   */
  async updateHeld(collection: mongo.Collection<never>, held: HeldRevisions, writes: GuardedWrite[]): Promise<Set<string>> {
    if ((await this.check) === 'conditional') return this.updateManyConditional(collection, writes);
    const due = writes.filter((w) => held.ids.has(w._id));
    if (!due.length) return new Set();
    try {
      for (const outcome of await this.byIdTogether(collection).submit(due)) if (outcome instanceof Error) throw outcome;
    } finally {
      // Written, or maybe written (a failed command may have applied some statements): the held
      // claim stays as a tombstone either way, so no fresh reader of the old revision writes over it.
      heldWritten.add(held);
    }
    return new Set(due.map((w) => w._id));
  }

  /**
   * Writes by `_id` (each of a revision its writer holds) that arrive while another such write of the
   * collection is under way go out together in the next command: under load one command carries many
   * writers' updates, and each writer of an order clears its published outbox this way too.
   */
  private byIdTogether(collection: mongo.Collection<never>): SentTogether<GuardedWrite, WriteOutcome> {
    let together = this.updatesById.get(collection);
    if (!together) {
      together = new SentTogether((writes) => this.updateByIds(collection, writes));
      this.updatesById.set(collection, together);
    }
    return together;
  }

  /**
   * Whether each write found its document, or the error the server refused it with: one writer's
   * refused update fails no one else's. The answer counts matches for the whole command, so only when
   * one is missing (deleted meanwhile) is each document looked up: a present one was written, as its
   * writer held the revision.
   */
  private async updateByIds(collection: mongo.Collection<never>, writes: GuardedWrite[]): Promise<WriteOutcome[]> {
    const outcomes: WriteOutcome[] = [];
    // By `_id` alone (FerretDB's fast path). FerretDB keeps a SQLite connection per statement of an
    // update command until the command ends and has 100 of them: a command with 100 statements
    // waits for itself for ever (seen with 256).
    for (let at = 0; at < writes.length; at += FERRETDB_STATEMENTS_PER_COMMAND) {
      outcomes.push(...(await this.updateChunk(collection, writes.slice(at, at + FERRETDB_STATEMENTS_PER_COMMAND))));
    }
    return outcomes;
  }

  private async updateChunk(collection: mongo.Collection<never>, writes: GuardedWrite[]): Promise<WriteOutcome[]> {
    const statements = writes.map((w) => ({ updateOne: { filter: { _id: w._id } as never, update: withRev(w) as never } }));
    let matched: number;
    try {
      matched = (await collection.bulkWrite(statements, { ordered: false })).matchedCount;
    } catch (err) {
      if (!statementErrors(err)) throw err;
      return this.afterRefusal(collection, writes, err);
    }
    if (matched === writes.length) return writes.map(() => true);
    return Promise.all(writes.map(async (w) => (await this.revisionOf(collection, w._id)) !== undefined));
  }

  /**
   * A command with a refused statement. FerretDB v1 names the wrong statement (always the first) and
   * stops at the refused one although the command is unordered, so which writes went in is read back:
   * a document at `rev + 1` was written (its writer held `rev`); one still at `rev` is written again
   * alone, which gives the refused writer its own error.
   */
  private async afterRefusal(collection: mongo.Collection<never>, writes: GuardedWrite[], err: unknown): Promise<WriteOutcome[]> {
    return Promise.all(
      writes.map(async (w): Promise<WriteOutcome> => {
        const rev = await this.revisionOf(collection, w._id);
        if (rev === undefined) return false;
        if (rev === w.rev + 1) return true;
        if (rev !== w.rev) return Object.assign(new Error('document moved past a held revision'), { cause: err });
        try {
          const result = await collection.updateOne({ _id: w._id } as never, withRev(w) as never);
          return result.matchedCount === 1;
        } catch (refused) {
          return refused instanceof Error ? refused : new Error(String(refused));
        }
      }),
    );
  }

  /** The document's revision (0 when written before revisions existed), or undefined when it is gone. */
  private async revisionOf(collection: mongo.Collection<never>, id: string): Promise<number | undefined> {
    const doc = (await collection.findOne({ _id: id } as never, { projection: { rev: 1 } })) as { rev?: number } | null;
    return doc ? (doc.rev ?? 0) : undefined;
  }

  /** Best effort: a claim left behind goes stale. */
  private deleteClaims(claimIds: string[]): Promise<void> {
    return deleteByIds(this.claims, claimIds, { bestEffort: true });
  }

  private async clearIfStale(claimId: string): Promise<void> {
    const claim = await this.claims.findOne({ _id: claimId });
    if (claim && Date.now() - claim.at.getTime() > STALE_CLAIM_MS) await this.claims.deleteOne({ _id: claimId, at: claim.at });
  }
}
