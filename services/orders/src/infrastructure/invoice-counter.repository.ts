import type { mongo } from 'mongoose';
import { isDuplicateKey, type RevisionCheck } from '@orderhub/platform';

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
 * Invoice numbers are sequential per account and never reused: a number is taken by inserting it
 * under a unique id. On MongoDB the per-account counter's atomic `$inc` draws it (2 round trips);
 * FerretDB v1 does `$inc` as read, then write (two concurrent callers could get the same number),
 * so there the counter is only the hint where to start probing (3). A number taken already (a
 * counter that fell behind) makes either way probe upward. A number drawn for a write that then
 * fails stays used (a gap, never a repeat).
 */
export class InvoiceCounterRepository {
  constructor(
    private readonly counters: mongo.Collection<InvoiceCounterDoc>,
    private readonly numbers: mongo.Collection<InvoiceNumberDoc>,
    private readonly check: Promise<RevisionCheck> = Promise.resolve('claims'),
  ) {}

  async next(accountId: string): Promise<number> {
    const _id = `invoice:${accountId}`;
    if ((await this.check) === 'conditional') {
      const counter = await this.counters.findOneAndUpdate(
        { _id },
        { $inc: { lastNumber: 1 }, $setOnInsert: { accountId, kind: 'invoice' } },
        { upsert: true, returnDocument: 'after' },
      );
      const drawn = counter?.lastNumber ?? 1;
      if (await this.take(accountId, drawn)) return drawn;
      return this.probeFrom(accountId, drawn + 1);
    }
    const hint = await this.counters.findOne({ _id, accountId });
    return this.probeFrom(accountId, (hint?.lastNumber ?? 0) + 1);
  }

  private async take(accountId: string, number: number): Promise<boolean> {
    try {
      await this.numbers.insertOne({ _id: `${accountId}:${number}`, accountId, number, at: new Date() });
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return false;
    }
  }

  private async probeFrom(accountId: string, first: number): Promise<number> {
    let candidate = first;
    while (!(await this.take(accountId, candidate))) candidate++;
    // Only a hint: a racing upsert may hit the unique id; the next caller probes upward anyway.
    await this.counters
      .updateOne({ _id: `invoice:${accountId}`, accountId, kind: 'invoice' }, { $max: { lastNumber: candidate } }, { upsert: true })
      .catch(() => undefined);
    return candidate;
  }
}
