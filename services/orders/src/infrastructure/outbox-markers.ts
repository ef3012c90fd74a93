import type { mongo } from 'mongoose';
import { isDuplicateKey } from '@orderhub/platform';

export interface OutboxMarkerDoc {
  _id: string;
  aggregate: string;
  docId: string;
  /** The relay (process) of the writer: it publishes at once; others take over after a while. */
  owner?: string;
  at: Date;
}

export interface PendingMarker {
  docId: string;
  owner?: string;
  at: Date;
}

/**
 * Which documents have unpublished outbox entries, kept in a small collection of its own: FerretDB v1
 * answers `find({ outboxDirty: true })` by reading every document of the collection (its SQLite
 * backend uses indexes only for `_id`), which made the relay's poll cost grow with the order count.
 * A writer marks the document after the update that added entries. A crash between a write and its
 * marker is covered by the relay's full sweep at start and every sweep interval.
 */
export class OutboxMarkers {
  constructor(
    private readonly markers: mongo.Collection<OutboxMarkerDoc>,
    readonly aggregate: string,
    private readonly owner?: string,
  ) {}

  async mark(docId: string): Promise<void> {
    try {
      await this.markers.insertOne({
        _id: `${this.aggregate}:${docId}`,
        aggregate: this.aggregate,
        docId,
        ...(this.owner ? { owner: this.owner } : {}),
        at: new Date(),
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  /** Marks a batch's documents in one command (a document marked already keeps its marker). */
  async markMany(docIds: string[]): Promise<void> {
    if (!docIds.length) return;
    const at = new Date();
    try {
      await this.markers.insertMany(
        docIds.map((docId) => ({
          _id: `${this.aggregate}:${docId}`,
          aggregate: this.aggregate,
          docId,
          ...(this.owner ? { owner: this.owner } : {}),
          at,
        })),
        { ordered: false },
      );
    } catch (err) {
      const errors = (err as { writeErrors?: unknown }).writeErrors;
      const list = (Array.isArray(errors) ? errors : errors ? [errors] : []) as unknown[];
      if (!list.length || !list.every((e) => isDuplicateKey(e))) throw err;
    }
  }

  async clearMany(docIds: string[]): Promise<void> {
    if (!docIds.length) return;
    await this.markers.deleteMany({ _id: { $in: docIds.map((docId) => `${this.aggregate}:${docId}`) } });
  }

  async pending(limit: number): Promise<PendingMarker[]> {
    const docs = await this.markers.find({ aggregate: this.aggregate }, { limit }).toArray();
    return docs.map(({ docId, owner, at }) => ({ docId, owner, at }));
  }

  async count(): Promise<number> {
    return this.markers.countDocuments({ aggregate: this.aggregate });
  }

  async clear(docId: string): Promise<void> {
    await this.markers.deleteOne({ _id: `${this.aggregate}:${docId}` });
  }
}
