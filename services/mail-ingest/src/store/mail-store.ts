import { randomUUID } from 'node:crypto';
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
 * (FerretDB v1) and a crash at any point resumes from the stored state.
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

export type NewMail = Omit<MailRecord, '_id' | 'state' | 'attempts' | 'leaseUntil'>;

export class DuplicateMailError extends Error {
  constructor(readonly existingId: string | undefined) {
    super('mail already stored');
  }
}

export function isDuplicateKeyError(err: unknown): boolean {
  const e = err as { code?: number; message?: string };
  return e?.code === 11000 || /duplicate key/i.test(e?.message ?? '');
}

/** The mail store: its own database (MONGO_URL of mail-ingest), written before the 250 is sent. */
export class MailStore {
  readonly mails: Collection<MailRecord>;

  constructor(db: Db) {
    this.mails = db.collection<MailRecord>('mails', { promoteBuffers: true });
  }

  /** Explicit indexes (autoIndex is off); FerretDB v1 has no TTL/partial indexes, so none are used. */
  async ensureIndexes(): Promise<void> {
    await this.mails.createIndex({ dedupKey: 1 }, { unique: true, name: 'dedupKey_unique' });
    await this.mails.createIndex({ state: 1, receivedAt: 1 }, { name: 'state_receivedAt' });
    await this.mails.createIndex({ 'forward.state': 1, 'forward.nextAttemptAt': 1 }, { name: 'forward_due' });
  }

  async insert(mail: NewMail): Promise<MailRecord> {
    const record: MailRecord = { ...mail, _id: randomUUID(), state: 'received', attempts: 0, leaseUntil: null };
    try {
      await this.mails.insertOne(record);
      return record;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const existing = await this.mails.findOne({ dedupKey: mail.dedupKey }, { projection: { _id: 1 } }).catch(() => null);
      throw new DuplicateMailError(existing?._id);
    }
  }

  /** Takes one mail still to be processed whose lease ran out (or never existed): a crashed worker's mail is picked up again. */
  async claimNext(owner: string, leaseMs: number): Promise<MailRecord | null> {
    const now = new Date();
    return this.mails.findOneAndUpdate(
      { state: 'received', $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] },
      { $set: { leaseUntil: new Date(now.getTime() + leaseMs), leaseOwner: owner }, $inc: { attempts: 1 } },
      { sort: { receivedAt: 1 }, returnDocument: 'after' },
    );
  }

  async finish(id: string, owner: string, state: Exclude<MailState, 'received'>, fields: Partial<MailRecord>): Promise<void> {
    await this.mails.updateOne({ _id: id, leaseOwner: owner }, { $set: { ...fields, state, leaseUntil: null, processedAt: new Date() } });
  }

  /** A failed attempt: the mail stays `received` and is retried after `retryInMs`. */
  async release(id: string, owner: string, reason: string, retryInMs: number): Promise<void> {
    await this.mails.updateOne({ _id: id, leaseOwner: owner }, { $set: { reason, leaseUntil: new Date(Date.now() + retryInMs) } });
  }

  async claimForward(owner: string, leaseMs: number): Promise<MailRecord | null> {
    const now = new Date();
    return this.mails.findOneAndUpdate(
      {
        'forward.state': 'pending',
        'forward.nextAttemptAt': { $lte: now },
        $or: [{ 'forward.leaseUntil': null }, { 'forward.leaseUntil': { $lt: now } }],
      },
      { $set: { 'forward.leaseUntil': new Date(now.getTime() + leaseMs), 'forward.owner': owner }, $inc: { 'forward.attempts': 1 } },
      { sort: { 'forward.nextAttemptAt': 1 }, returnDocument: 'after' },
    );
  }

  async forwardDone(id: string, fields: Partial<MailRecord['forward']>): Promise<void> {
    const set: Record<string, unknown> = { 'forward.leaseUntil': null };
    for (const [k, v] of Object.entries(fields)) set[`forward.${k}`] = v;
    await this.mails.updateOne({ _id: id }, { $set: set });
  }

  async get(id: string): Promise<MailRecord | null> {
    return this.mails.findOne({ _id: id });
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
    const filter: Record<string, unknown> = { _id: id, state: { $in: ['parked', 'ignored', 'parsed'] } };
    if (accountId) filter['recipients.accountId'] = accountId;
    const res = await this.mails.updateOne(filter, { $set: { state: 'received', leaseUntil: null, attempts: 0 }, $unset: { reason: '' } });
    return res.matchedCount === 1;
  }
}
