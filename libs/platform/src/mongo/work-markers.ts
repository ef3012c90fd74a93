import type { mongo } from 'mongoose';
import { deleteByIds } from './delete-by-ids';
import { InsertsTogether } from './inserts-together';
import type { RevisionCheck } from './revision-guard';
import { SentTogether } from './sent-together';

/** The fields a marker names its work and its document by; its `_id` is `<work>:<document id>`. */
export interface WorkMarkerFields {
  /** e.g. `aggregate` (an outbox: `order`, `article`) or `work` (a mail: `parse`, `forward`) */
  work: string;
  /** e.g. `docId`, `mailId` */
  doc: string;
}

/** A document waiting for work, as its marker says; stamp fields as the marker's writer left them. */
export type WorkMarker<Stamp> = { docId: string; at: Date } & Partial<Stamp>;

/** A marker as stored: `_id`, the work and document fields (`WorkMarkerFields`), stamp fields, `at`. */
export type WorkMarkerDoc = { _id: string; at: Date } & Record<string, unknown>;

/**
 * Which documents still have work of a kind waiting (events to publish, a mail to parse). On
 * MongoDB the documents say it themselves and their owner searches them by an index on its own
 * fields (`byIndex()`); no markers are written. FerretDB v1 uses an index only for a filter that is
 * exactly `{ _id }` and reads the whole collection for any other, so a search for work costs in
 * proportion to every document ever stored (docs/architecture.md, FerretDB section: one mail search
 * 642 ms of FerretDB CPU at 6 000 mails, 3.6 s at 30 000). There each waiting document has one small
 * marker per work in a collection of its own; a search reads the markers, then the documents by `_id`.
 * The documents stay the truth: a reader drops the marker of a document that is done, and the owner
 * restores markers a crash may have lost (a sweep of its documents).
 */
export class WorkMarkers<Stamp extends Record<string, unknown> = Record<string, never>> {
  /** Markers of concurrent writers, written and removed together (one command each way under load). */
  private readonly inserts: InsertsTogether<WorkMarkerDoc>;
  private readonly removals = new SentTogether<string, void>((ids) => this.removeNow(ids));

  constructor(
    private readonly markers: mongo.Collection<WorkMarkerDoc>,
    private readonly fields: WorkMarkerFields,
    /** Known, or still being found out once for the whole process (`revisionCheckFor`). */
    private readonly check: RevisionCheck | Promise<RevisionCheck>,
    /** Written into every marker of this writer (e.g. `owner`: the process that does the work first). */
    private readonly stamp?: Stamp,
  ) {
    this.inserts = new InsertsTogether(markers);
  }

  /** True when waiting documents are found by their own index (MongoDB): nothing to mark or clear. */
  async byIndex(): Promise<boolean> {
    return (await this.check) === 'conditional';
  }

  /** Marks the document as waiting for each work, in one command; existing markers stay as they are. */
  async mark(docId: string, work: string | readonly string[], at = new Date()): Promise<void> {
    if (await this.byIndex()) return;
    const { work: workField, doc: docField } = this.fields;
    const markers = (typeof work === 'string' ? [work] : work).map((w) => ({
      _id: `${w}:${docId}`,
      [workField]: w,
      [docField]: docId,
      ...this.stamp,
      at,
    }));
    // a marker stored already stays as it is (its insert is refused as a duplicate)
    await this.inserts.insert(markers);
  }

  /** The document's work is done (or will never be): its marker goes. */
  async done(docId: string, work: string): Promise<void> {
    if (await this.byIndex()) return;
    await this.removals.submit([`${work}:${docId}`]);
  }

  private async removeNow(ids: string[]): Promise<void[]> {
    await deleteByIds(this.markers, ids);
    return ids.map(() => undefined);
  }

  /** The markers of a work (FerretDB: on MongoDB there are none, `byIndex()` says where to search). */
  async marked(work: string, options: { limit?: number; oldestFirst?: boolean } = {}): Promise<WorkMarker<Stamp>[]> {
    const { work: workField, doc: docField } = this.fields;
    const limit = options.limit ? { limit: options.limit } : {};
    const sort = options.oldestFirst ? { sort: { at: 1 as const } } : {};
    const found = await this.markers.find({ [workField]: work }, { ...limit, ...sort }).toArray();
    return found.map(
      ({ _id: _marker, at, [workField]: _work, [docField]: docId, ...stamp }) => ({ ...stamp, docId, at }) as WorkMarker<Stamp>,
    );
  }

  /** How many markers a work has (FerretDB, as `marked`). */
  count(work: string): Promise<number> {
    return this.markers.countDocuments({ [this.fields.work]: work });
  }
}
