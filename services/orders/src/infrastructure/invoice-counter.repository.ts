import type { mongo } from 'mongoose';

export interface InvoiceCounterDoc {
  _id: string;
  accountId: string;
  kind: 'invoice';
  lastNumber: number;
}

/**
 * Invoice numbers are sequential per account and never reused: an atomic `$inc` on one counter
 * document per account. A number drawn for a write that then fails stays used (a gap, never a repeat).
 */
export class InvoiceCounterRepository {
  constructor(private readonly counters: mongo.Collection<InvoiceCounterDoc>) {}

  async next(accountId: string): Promise<number> {
    const doc = await this.counters.findOneAndUpdate(
      { _id: `invoice:${accountId}`, accountId, kind: 'invoice' },
      { $inc: { lastNumber: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    if (!doc) throw new Error('invoice counter did not answer');
    return doc.lastNumber;
  }
}
