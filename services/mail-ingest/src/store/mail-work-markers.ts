import type { Collection, Db } from 'mongodb';
import { insertManyKeepingExisting } from '@orderhub/platform';

export type MailWork = 'parse' | 'forward';

interface MailWorkMarker {
  /** `<work>:<mail id>` */
  _id: string;
  work: MailWork;
  mailId: string;
  at: Date;
}

/** A marker whose mail is not stored after this long was left by a store that failed or crashed. */
const ORPHAN_MS = 60_000;

/**
 * The mails a search for work has to look at, on FerretDB: one small marker per mail that may still
 * need parsing or a forward copy, written before the mail and removed once the work is done. FerretDB
 * v1 answers every other filter than `{ _id }` by reading the whole collection, so a search over the
 * mails read every mail ever stored and, bounded to a tenth of the time, kept a tenth of a core busy
 * for good (docs/architecture.md). Markers heal themselves: the search reads each marked mail by id
 * and drops markers of mails that are done or were never stored. On MongoDB the search uses the mails'
 * own indexes and no markers are written.
 */
export class MailWorkMarkers {
  private readonly markers: Collection<MailWorkMarker>;

  constructor(
    db: Db,
    /** Whether the database answers the search from an index (MongoDB): then there are no markers. */
    readonly indexed: Promise<boolean>,
  ) {
    this.markers = db.collection<MailWorkMarker>('mail_work_markers');
  }

  async mark(mailId: string, work: MailWork[], receivedAt: Date): Promise<void> {
    if (await this.indexed) return;
    await insertManyKeepingExisting(
      this.markers,
      work.map((w) => ({ _id: `${w}:${mailId}`, work: w, mailId, at: receivedAt })),
    );
  }

  /** Work done (or never to be done): best effort, a marker left over is dropped by the next search. */
  async done(mailId: string, work: MailWork): Promise<void> {
    if (await this.indexed) return;
    await this.markers.deleteOne({ _id: `${work}:${mailId}` }).catch(() => undefined);
  }

  /** Marked mails of this work, oldest first. */
  async marked(work: MailWork): Promise<{ mailId: string; at: Date }[]> {
    return this.markers
      .find({ work }, { projection: { mailId: 1, at: 1 } })
      .sort({ at: 1 })
      .toArray();
  }

  /** Drops a marker whose mail is done, or was never stored (`at` long ago). */
  async drop(mailId: string, work: MailWork, at: Date, stored: boolean): Promise<void> {
    if (stored || Date.now() - at.getTime() > ORPHAN_MS) await this.done(mailId, work);
  }
}
