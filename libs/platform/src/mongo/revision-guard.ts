import type { mongo } from 'mongoose';
import { isDuplicateKey } from './tenant-collection';

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
 * FerretDB v1 (SQLite) runs an update as read, then write: a filter like `{ _id, rev }` is checked
 * on a snapshot, so two concurrent conditional updates both "match" and one is lost (measured).
 * The one atomic check it has is a unique key on insert. So each write first inserts a claim
 * `<collection>:<id>:<rev>`; only the claimant of a revision may write it, and the claim is removed
 * once the document has moved on (a late writer then finds a newer `rev`). A claim left by a crash
 * between insert and update is cleared after STALE_CLAIM_MS.
 *
 * Holding the claim, the writer checks `rev` with a read and updates by `_id` alone: FerretDB v1
 * uses its primary key only for a filter that is exactly `{ _id }` (with `rev` in the filter every
 * update scanned the collection). Every writer of these collections goes through this guard.
 */
export class RevisionGuard {
  constructor(
    private readonly claims: mongo.Collection<WriteClaim>,
    private readonly name: string,
  ) {}

  async update(collection: mongo.Collection<never>, filter: { _id: string }, rev: number, update: Record<string, unknown>): Promise<void> {
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
      const $inc = { ...((update.$inc as Record<string, number> | undefined) ?? {}), rev: 1 };
      const result = await collection.updateOne({ _id: filter._id } as never, { ...update, $inc } as never);
      if (result.matchedCount !== 1) throw new VersionConflict();
    } finally {
      await this.claims.deleteOne({ _id: claimId }).catch(() => undefined);
    }
  }

  private async clearIfStale(claimId: string): Promise<void> {
    const claim = await this.claims.findOne({ _id: claimId });
    if (claim && Date.now() - claim.at.getTime() > STALE_CLAIM_MS) await this.claims.deleteOne({ _id: claimId, at: claim.at });
  }
}
