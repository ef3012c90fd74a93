import type { mongo } from 'mongoose';
import { isDuplicateKey } from '@orderhub/platform';

export interface InvoiceCounterDoc {
  _id: string;
  accountId: string;
  kind: 'invoice';
  lastNumber: number;
}

export interface InvoiceNumberDoc {
  _id: string;
  accountId: string;
  number: number;
  at: Date;
}

/**
 * Invoice numbers are sequential per account and never reused. FerretDB v1 does `$inc` as read,
 * then write (two concurrent callers could get the same number), so a number is taken by inserting
 * it under a unique id; the per-account counter document is only the hint where to start.
 * A number drawn for a write that then fails stays used (a gap, never a repeat).
 */
export class InvoiceCounterRepository {
  constructor(
    private readonly counters: mongo.Collection<InvoiceCounterDoc>,
    private readonly numbers: mongo.Collection<InvoiceNumberDoc>,
  ) {}

  async next(accountId: string): Promise<number> {
    const hint = await this.counters.findOne({ _id: `invoice:${accountId}`, accountId });
    let candidate = (hint?.lastNumber ?? 0) + 1;
    for (;;) {
      try {
        await this.numbers.insertOne({ _id: `${accountId}:${candidate}`, accountId, number: candidate, at: new Date() });
        break;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        candidate++;
      }
    }
    // Only a hint: a racing upsert may hit the unique id; the next caller probes upward anyway.
    await this.counters
      .updateOne({ _id: `invoice:${accountId}`, accountId, kind: 'invoice' }, { $max: { lastNumber: candidate } }, { upsert: true })
      .catch(() => undefined);
    return candidate;
  }
}
