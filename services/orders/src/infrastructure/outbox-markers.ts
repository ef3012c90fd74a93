import type { mongo } from 'mongoose';
import { isDuplicateKey, type RevisionCheck } from '@orderhub/platform';

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

/** The documents of an aggregate, found by their indexed `outboxDirty` flag. */
export interface PendingByIndex {
  documents: mongo.Collection<{ _id: string; outboxDirty: boolean }>;
  /** Indexed on MongoDB (`conditional`); FerretDB (`claims`) scans, so markers are kept there. */
  check: Promise<RevisionCheck>;
}

/**
 * Which documents have unpublished outbox entries. On MongoDB the documents say it themselves with
 * the indexed `outboxDirty` flag written in the same update as the entries: no marker writes, no
 * sweep. On FerretDB v1 they are kept in a small collection of its own: it answers
 * `find({ outboxDirty: true })` by reading every document of the collection (its SQLite backend uses
 * indexes only for `_id`), which made the relay's poll cost grow with the order count. A writer
 * marks the document after the update that added entries; a crash between a write and its marker
 * is covered by the relay's full sweep at start and every sweep interval.
 */
export class OutboxMarkers {
  constructor(
    private readonly markers: mongo.Collection<OutboxMarkerDoc>,
    readonly aggregate: string,
    private readonly owner?: string,
    private readonly index?: PendingByIndex,
  ) {}

  /** True when pending documents are found by the index (nothing to mark, nothing to sweep). */
  async byIndex(): Promise<boolean> {
    return !!this.index && (await this.index.check) === 'conditional';
  }

  async mark(docId: string): Promise<void> {
    if (await this.byIndex()) return;
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

  async pending(limit: number): Promise<PendingMarker[]> {
    if (this.index && (await this.byIndex())) {
      const dirty = await this.index.documents.find({ outboxDirty: true }, { projection: { _id: 1 }, limit }).toArray();
      return dirty.map(({ _id }) => ({ docId: _id, at: new Date(0) }));
    }
    const docs = await this.markers.find({ aggregate: this.aggregate }, { limit }).toArray();
    return docs.map(({ docId, owner, at }) => ({ docId, owner, at }));
  }

  async count(): Promise<number> {
    if (this.index && (await this.byIndex())) return this.index.documents.countDocuments({ outboxDirty: true });
    return this.markers.countDocuments({ aggregate: this.aggregate });
  }

  async clear(docId: string): Promise<void> {
    if (await this.byIndex()) return;
    await this.markers.deleteOne({ _id: `${this.aggregate}:${docId}` });
  }
}
