import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { InsertsTogether, RevisionGuard, revisionCheckFor, VersionConflict, WorkMarkers } from '@orderhub/platform';
import type { Collection, Db } from 'mongodb';

export type MailState = 'received' | 'parsed' | 'parked' | 'ignored';
export type ForwardState = 'pending' | 'sent' | 'failed' | 'skipped';

export interface MailRecipient {
  address: string;
  connectionId: string;
  accountId: string;
}

/**
 * One inbound message, stored before the SMTP 250. Everything that happens to it afterwards (parse,
 * forward copy) is a single-document update on this record, so no step needs a transaction
 * (FerretDB v1) and a crash at any point resumes from the stored state. Its bytes (`raw`) are stored
 * apart, in `mail_raws`, before the record: they never change, and in the record every read and
 * update would carry them (on FerretDB both cost in proportion to the document's size, and a search
 * for work reads every record). Mails stored before that hold them inline.
 */
export interface MailRecord {
  _id: string;
  /** Message-ID + sha256 + connection ids: the same mail delivered twice is stored once. */
  dedupKey: string;
  messageId?: string;
  sha256: string;
  size: number;
  raw: Buffer;
  envelope: { mailFrom: string; rcptTo: string[]; remoteAddress?: string; heloName?: string };
  recipients: MailRecipient[];
  receivedAt: Date;
  state: MailState;
  attempts: number;
  leaseUntil: Date | null;
  leaseOwner?: string;
  /** Moves with every change (RevisionGuard); absent on mails stored before it existed (read as 0). */
  rev?: number;
  reason?: string;
  subject?: string;
  orderNumber?: string;
  eventIds?: string[];
  processedAt?: Date;
  forward: {
    state: ForwardState;
    to: string[];
    attempts: number;
    nextAttemptAt: Date;
    leaseUntil: Date | null;
    lastError?: string;
    sentAt?: Date;
    skipReason?: string;
    owner?: string;
  };
}

export type NewMail = Omit<MailRecord, '_id' | 'state' | 'attempts' | 'leaseUntil' | 'rev'>;

/** Work a stored mail may still wait for. */
type MailWork = 'parse' | 'forward';

export class DuplicateMailError extends Error {
  constructor(readonly existingId: string | undefined) {
    super('mail already stored');
  }
}

type Update = Record<string, unknown>;

/** Raw bytes of stored mails kept for their worker at most; past it, the worker reads them. */
const FRESH_BYTES = 16 * 1024 * 1024;

/**
 * A work marker is written before its mail: one whose mail is not stored after this long was left by
 * a store that failed or crashed.
 */
const ORPHAN_MARKER_MS = 60_000;

const leaseActive = (until: Date | null | undefined, now: Date) => !!until && until.getTime() >= now.getTime();

/**
 * The mail store: its own database (MONGO_URL of mail-ingest), written before the 250 is sent.
 *
 * Every change after the insert is a read by `_id` and a write under the RevisionGuard: FerretDB v1
 * answers a filter other than exactly `{ _id }` by reading the whole collection (raw mails included),
 * and it runs an update as read-then-write, so two concurrent updates of one mail (the parse worker
 * and the forward relay touch the same document) could otherwise lose one of them. The guard only
 * costs extra round trips there; on MongoDB it is one conditional update.
 */
export class MailStore {
  readonly mails: Collection<MailRecord>;
  private readonly guard: RevisionGuard;
  /**
   * Mails this process claimed, at the revision its claim wrote: the holder's outcome is written
   * without reading the mail (raw included) again, unless the mail changed meanwhile.
   */
  private readonly claimed = new Map<string, { owner: string; rev: number; readAt: number; leaseUntil: Date }>();
  /**
   * Mails whose outcome this process is writing: their marker goes only after the outcome, and a
   * search in between would read each one (about one read per mail under steady load, e2e).
   */
  private readonly finishing = new Set<string>();
  /**
   * Mails this process stored leased to its own worker, as stored, until the worker takes them (at
   * most FRESH_BYTES of raw): taking one then reads nothing. Only the worker's lease changes what it
   * reads; a forward relay's change of the same mail makes the outcome's write read it again.
   */
  private readonly fresh = new Map<string, MailRecord>();
  private freshBytes = 0;
  private readonly raws: Collection<{ _id: string; raw: Buffer }>;
  /** New mails and their bytes, stored with those of other SMTP sessions waiting meanwhile (one command each under load). */
  private readonly rawInserts: InsertsTogether<{ _id: string; raw: Buffer }>;
  private readonly mailInserts: InsertsTogether<MailRecord>;
  /**
   * What a search for work looks at on FerretDB (`mail_work_markers`): one marker per mail that may
   * still need parsing or a forward copy, written before the mail and removed once the work is done.
   * On MongoDB the search uses the mails' own indexes and no markers are written.
   */
  private readonly work: WorkMarkers;

  constructor(db: Db) {
    this.mails = db.collection<MailRecord>('mails', { promoteBuffers: true });
    this.raws = db.collection('mail_raws', { promoteBuffers: true });
    this.rawInserts = new InsertsTogether(this.raws);
    this.mailInserts = new InsertsTogether(this.mails);
    const check = revisionCheckFor(db);
    this.guard = new RevisionGuard(db.collection('mail_write_claims') as never, 'mails', check);
    this.work = new WorkMarkers(db.collection('mail_work_markers'), { work: 'work', doc: 'mailId' }, check);
  }

  /**
   * Marks the mails stored before markers were written that still wait for work (FerretDB): one read
   * of the whole store at start, as the search did every few seconds before.
   */
  async restoreWorkMarkers(): Promise<number> {
    if (await this.work.byIndex()) return 0;
    const open = await this.mails
      .find(
        { $or: [{ state: 'received' }, { 'forward.state': 'pending' }] },
        { projection: { _id: 1, state: 1, forward: 1, receivedAt: 1 } },
      )
      .toArray();
    for (const m of open) await this.work.mark(m._id, workOf(m), m.receivedAt);
    return open.length;
  }

  /** Explicit indexes (autoIndex is off); FerretDB v1 has no TTL/partial indexes, so none are used. */
  async ensureIndexes(): Promise<void> {
    await this.mails.createIndex({ dedupKey: 1 }, { unique: true, name: 'dedupKey_unique' });
    await this.mails.createIndex({ state: 1, receivedAt: 1 }, { name: 'state_receivedAt' });
    await this.mails.createIndex({ 'forward.state': 1, 'forward.nextAttemptAt': 1 }, { name: 'forward_due' });
  }

  /**
   * Stores a new mail. With `parseLease`, it is stored claimed by that parse worker (this process's):
   * the worker then takes it without a claim's two writes (claim and update of the mail, raw
   * included, on FerretDB). If the process dies first, the lease runs out and a search hands the mail
   * to any worker, as after a crash mid-parse.
   */
  async insert(mail: NewMail, parseLease?: { owner: string; leaseMs: number }): Promise<MailRecord> {
    const now = Date.now();
    const lease = parseLease && { leaseUntil: new Date(now + parseLease.leaseMs), leaseOwner: parseLease.owner, attempts: 1 };
    const record: MailRecord = { ...mail, _id: randomUUID(), state: 'received', attempts: 0, leaseUntil: null, rev: 0, ...lease };
    const { raw, ...stored } = record;
    // The bytes and the markers first: a record is never without them. Bytes without a record (a crash
    // in between, a duplicate) are never read; such markers are dropped (ORPHAN_MARKER_MS).
    const [rawStored] = await Promise.all([
      this.rawInserts.insert([{ _id: record._id, raw }]),
      this.work.mark(record._id, workOf(record), record.receivedAt),
    ]);
    if (!rawStored[0]) throw new Error(`the bytes of mail ${record._id} are stored already`);
    const [inserted] = await this.mailInserts.insert([stored as MailRecord]);
    if (!inserted) throw await this.refusedAsDuplicate(record);
    if (lease) {
      this.claimed.set(record._id, { owner: lease.leaseOwner, rev: 0, readAt: now, leaseUntil: lease.leaseUntil });
      if (this.freshBytes + record.raw.length <= FRESH_BYTES) {
        this.fresh.set(record._id, record);
        this.freshBytes += record.raw.length;
      }
    }
    return record;
  }

  /** A mail the store has already (same `dedupKey`): what was written ahead of its record goes again. */
  private async refusedAsDuplicate(record: MailRecord): Promise<DuplicateMailError> {
    await this.raws.deleteOne({ _id: record._id }).catch(() => undefined);
    for (const w of workOf(record)) await this.workDone(record._id, w);
    const existing = await this.mails.findOne({ dedupKey: record.dedupKey }, { projection: { _id: 1 } }).catch(() => null);
    return new DuplicateMailError(existing?._id);
  }

  /**
   * Takes this mail for parsing if it is still to be processed and no live lease holds it. A mail
   * stored leased to `owner` (`insert`) is taken as stored (kept in memory) or read, without a write,
   * while that lease has at least half its time left.
   */
  async claim(id: string, owner: string, leaseMs: number): Promise<MailRecord | null> {
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const held = this.claimed.get(id);
    if (held?.owner === owner && held.leaseUntil.getTime() - now.getTime() >= leaseMs / 2) {
      const kept = this.takeFresh(id);
      if (kept) return kept;
      const readAt = Date.now();
      const mail = await this.mails.findOne({ _id: id });
      if (!mail || mail.state !== 'received' || mail.leaseOwner !== owner || !leaseActive(mail.leaseUntil, now)) {
        this.claimed.delete(id);
        return null;
      }
      this.claimed.set(id, { ...held, rev: mail.rev ?? 0, readAt });
      return this.withRaw(mail);
    }
    this.takeFresh(id);
    this.claimed.delete(id);
    const changed = await this.changed(id, (m) =>
      // its own lease too: one stored leased to it that it got to late (less than half the lease left)
      m.state === 'received' && (!leaseActive(m.leaseUntil, now) || m.leaseOwner === owner)
        ? { $set: { leaseUntil, leaseOwner: owner }, $inc: { attempts: 1 } }
        : undefined,
    );
    if (!changed) return null;
    const { before, readAt } = changed;
    const rev = (before.rev ?? 0) + 1;
    this.claimed.set(id, { owner, rev, readAt, leaseUntil });
    return this.withRaw({ ...before, leaseUntil, leaseOwner: owner, attempts: before.attempts + 1, rev });
  }

  /** The record with its bytes: read from `mail_raws`, or inline for a mail stored before they were kept apart. */
  private async withRaw(mail: MailRecord): Promise<MailRecord> {
    if (mail.raw) return mail;
    const stored = await this.raws.findOne({ _id: mail._id });
    if (!stored) throw new Error(`the bytes of mail ${mail._id} are missing`);
    return { ...mail, raw: stored.raw };
  }

  private takeFresh(id: string): MailRecord | undefined {
    const kept = this.fresh.get(id);
    if (kept) {
      this.fresh.delete(id);
      this.freshBytes -= kept.raw.length;
    }
    return kept;
  }

  /** Mails still to be processed and not leased (or whose lease ran out: a crashed worker's), oldest first. */
  async waiting(limit: number): Promise<string[]> {
    const now = new Date();
    if (!(await this.work.byIndex())) {
      return this.marked(
        'parse',
        limit,
        (m) => m.state !== 'received',
        (m) => !leaseActive(m.leaseUntil, now),
      );
    }
    return this.idsOf({ state: 'received', $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] }, { receivedAt: 1 }, limit);
  }

  /**
   * A search on FerretDB: the marked mails, read by id, oldest first; markers of mails that are done
   * (or were never stored) are dropped on the way.
   */
  private async marked(
    work: MailWork,
    limit: number,
    done: (mail: MailRecord) => boolean,
    due: (mail: MailRecord) => boolean,
  ): Promise<string[]> {
    const ids: string[] = [];
    for (const { docId: mailId, at } of await this.work.marked(work, { oldestFirst: true })) {
      if (ids.length >= limit) break;
      // Parsed here right now: not to be found, and no need to read it.
      if (work === 'parse' && (this.claimed.has(mailId) || this.finishing.has(mailId))) continue;
      const mail = await this.mails.findOne({ _id: mailId }, { projection: { state: 1, leaseUntil: 1, forward: 1 } });
      if (!mail || done(mail)) {
        if (mail || Date.now() - at.getTime() > ORPHAN_MARKER_MS) await this.workDone(mailId, work);
      } else if (due(mail)) ids.push(mailId);
    }
    return ids;
  }

  /** Best effort: a marker left over is dropped by the next search. */
  private async workDone(mailId: string, work: MailWork): Promise<void> {
    await this.work.done(mailId, work).catch(() => undefined);
  }

  /** Only the lease holder records the outcome: a worker whose lease ran out and was taken over does not. */
  async finish(id: string, owner: string, state: Exclude<MailState, 'received'>, fields: Partial<MailRecord>): Promise<void> {
    const set = { ...fields, state, leaseUntil: null, processedAt: new Date() };
    this.finishing.add(id);
    try {
      if (await this.changeAsHolder(id, owner, { $set: set })) await this.workDone(id, 'parse');
    } finally {
      this.finishing.delete(id);
    }
  }

  /** A failed attempt: the mail stays `received` and is retried after `retryInMs`. */
  async release(id: string, owner: string, reason: string, retryInMs: number): Promise<void> {
    const leaseUntil = new Date(Date.now() + retryInMs);
    await this.changeAsHolder(id, owner, { $set: { reason, leaseUntil } });
  }

  /**
   * The lease holder's update: straight at the revision of its claim when this process claimed the
   * mail (still at that revision means no one took it over), else after reading the mail again.
   */
  private async changeAsHolder(id: string, owner: string, update: Update): Promise<boolean> {
    const held = this.claimed.get(id);
    if (held?.owner === owner) {
      this.claimed.delete(id);
      try {
        await this.guard.update(this.mails as never, { _id: id }, held.rev, update, held.readAt);
        return true;
      } catch (err) {
        if (!(err instanceof VersionConflict)) throw err;
      }
    }
    return !!(await this.change(id, (m) => (m.leaseOwner === owner ? update : undefined)));
  }

  /** Takes this mail's forward copy if it is pending, due and not leased. */
  async claimForward(id: string, owner: string, leaseMs: number): Promise<MailRecord | null> {
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const before = await this.change(id, (m) =>
      m.forward.state === 'pending' && m.forward.nextAttemptAt.getTime() <= now.getTime() && !leaseActive(m.forward.leaseUntil, now)
        ? { $set: { 'forward.leaseUntil': leaseUntil, 'forward.owner': owner }, $inc: { 'forward.attempts': 1 } }
        : undefined,
    );
    return before && this.withRaw({ ...before, forward: { ...before.forward, leaseUntil, owner, attempts: before.forward.attempts + 1 } });
  }

  /** Mails whose forward copy is due (a retry, or one a crashed relay left leased), due longest first. */
  async forwardsDue(limit: number): Promise<string[]> {
    const now = new Date();
    if (!(await this.work.byIndex())) {
      return this.marked(
        'forward',
        limit,
        (m) => m.forward.state !== 'pending',
        (m) => m.forward.nextAttemptAt.getTime() <= now.getTime() && !leaseActive(m.forward.leaseUntil, now),
      );
    }
    return this.idsOf(
      {
        'forward.state': 'pending',
        'forward.nextAttemptAt': { $lte: now },
        $or: [{ 'forward.leaseUntil': null }, { 'forward.leaseUntil': { $lt: now } }],
      },
      { 'forward.nextAttemptAt': 1 },
      limit,
    );
  }

  /** A search for work; each mail found is then claimed by id (another worker may be faster). */
  private async idsOf(filter: Update, sort: Record<string, 1>, limit: number): Promise<string[]> {
    const found = await this.mails
      .find(filter, { projection: { _id: 1 } })
      .sort(sort)
      .limit(limit)
      .toArray();
    return found.map((m) => m._id);
  }

  async forwardDone(id: string, fields: Partial<MailRecord['forward']>): Promise<void> {
    const set: Update = { 'forward.leaseUntil': null };
    for (const [k, v] of Object.entries(fields)) set[`forward.${k}`] = v;
    await this.change(id, () => ({ $set: set }));
    if (fields.state && fields.state !== 'pending') await this.workDone(id, 'forward');
  }

  async get(id: string): Promise<MailRecord | null> {
    const mail = await this.mails.findOne({ _id: id });
    return mail && this.withRaw(mail);
  }

  async listParked(accountId: string | undefined, limit: number, cursor?: string): Promise<MailRecord[]> {
    const filter: Record<string, unknown> = { state: 'parked' };
    if (accountId) filter['recipients.accountId'] = accountId;
    if (cursor) filter._id = { $gt: cursor };
    return this.mails
      .find(filter, { projection: { raw: 0 } })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
  }

  /** Back to `received` (raw is kept), so the worker parses it again with the current profile. */
  async reprocess(id: string, accountId: string | undefined): Promise<boolean> {
    const before = await this.change(id, (m) =>
      ['parked', 'ignored', 'parsed'].includes(m.state) && (!accountId || m.recipients.some((r) => r.accountId === accountId))
        ? { $set: { state: 'received', leaseUntil: null, attempts: 0 }, $unset: { reason: '' } }
        : undefined,
    );
    if (before) await this.work.mark(id, ['parse'], before.receivedAt);
    return !!before;
  }

  /**
   * A parked mail the merchant handles by hand leaves the list: it becomes `ignored` (raw and reason
   * kept, so it can still be reprocessed) instead of being deleted, since it may be the only copy.
   */
  async drop(id: string, accountId: string | undefined): Promise<boolean> {
    const before = await this.change(id, (m) =>
      m.state === 'parked' && (!accountId || m.recipients.some((r) => r.accountId === accountId))
        ? { $set: { state: 'ignored', reason: `dropped from the parked list: ${m.reason ?? 'no reason recorded'}` } }
        : undefined,
    );
    return !!before;
  }

  /**
   * Reads the mail, lets `decide` pick the update (or none), and writes it under the revision guard;
   * a concurrent change of the same mail makes it read and decide again. Returns the mail as it was
   * before the update, or null if there was no mail or nothing to do.
   */
  private async change(id: string, decide: (mail: MailRecord) => Update | undefined): Promise<MailRecord | null> {
    return (await this.changed(id, decide))?.before ?? null;
  }

  /** `change`, also answering when the read the update was decided on began. */
  private async changed(
    id: string,
    decide: (mail: MailRecord) => Update | undefined,
  ): Promise<{ before: MailRecord; readAt: number } | null> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const readAt = Date.now();
      const mail = await this.mails.findOne({ _id: id });
      if (!mail) return null;
      const update = decide(mail);
      if (!update) return null;
      try {
        await this.guard.update(this.mails as never, { _id: id }, mail.rev ?? 0, update, readAt);
        return { before: mail, readAt };
      } catch (err) {
        if (!(err instanceof VersionConflict)) throw err;
        await sleep(2 + Math.random() * 10 * (attempt + 1));
      }
    }
    throw new VersionConflict();
  }
}

/** The work a mail still waits for. */
function workOf(mail: Pick<MailRecord, 'state' | 'forward'>): MailWork[] {
  return [...(mail.state === 'received' ? (['parse'] as const) : []), ...(mail.forward.state === 'pending' ? (['forward'] as const) : [])];
}
