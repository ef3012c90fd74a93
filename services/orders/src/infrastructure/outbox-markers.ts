import type { mongo } from 'mongoose';
import { isDuplicateKey } from './tenant-collection';

export interface OutboxMarkerDoc {
  _id: string;
  aggregate: string;
  docId: string;
  at: Date;
}

/**
 * Which documents have unpublished outbox entries, kept in a small collection of its own: FerretDB v1
 * answers `find({ outboxDirty: true })` by reading every document of the collection (its SQLite
 * backend uses indexes only for `_id`), which made the relay's poll cost grow with the order count.
 * A writer marks the document after the update that added entries; the relay removes the marker
 * once the outbox is empty and then reads the document again, re-marking it if entries arrived:
 * whichever way a write and a removal interleave, a marker remains. A crash between a write and its
 * marker is covered by the relay's full sweep at start and every SWEEP interval.
 */
export class OutboxMarkers {
  constructor(
    private readonly markers: mongo.Collection<OutboxMarkerDoc>,
    readonly aggregate: string,
  ) {}

  async mark(docId: string): Promise<void> {
    try {
      await this.markers.insertOne({ _id: `${this.aggregate}:${docId}`, aggregate: this.aggregate, docId, at: new Date() });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  async pending(limit: number): Promise<string[]> {
    const docs = await this.markers.find({ aggregate: this.aggregate }, { limit }).toArray();
    return docs.map((d) => d.docId);
  }

  async clear(docId: string): Promise<void> {
    await this.markers.deleteOne({ _id: `${this.aggregate}:${docId}` });
  }
}
