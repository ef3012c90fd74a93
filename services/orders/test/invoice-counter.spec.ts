import { mongo } from 'mongoose';
import { TestDatabase } from '@orderhub/testkit';
import { type InvoiceCounterDoc, InvoiceCounterRepository, type InvoiceNumberDoc } from '../src/infrastructure/invoice-counter.repository';

/**
 * Invoice numbers: sequential per account, never repeated. MongoDB draws them with the counter's
 * `$inc` (chosen here by hand; FerretDB answers it too, only not atomically), FerretDB probes upward
 * from the counter's hint; both fall back to probing when the counter fell behind the numbers taken.
 */
describe('InvoiceCounterRepository', () => {
  const database = new TestDatabase('ordinvoice');
  let db: mongo.Db;

  beforeAll(async () => {
    db = await database.open();
  });
  afterAll(() => database.close());

  for (const check of ['conditional', 'claims'] as const) {
    it(`${check}: numbers 1, 2, 3 per account; a counter that fell behind never repeats a number`, async () => {
      const counters = db.collection<InvoiceCounterDoc>(`counters_${check}`);
      const numbers = db.collection<InvoiceNumberDoc>(`numbers_${check}`);
      const repo = new InvoiceCounterRepository(counters, numbers, Promise.resolve(check));
      expect([await repo.next('a1'), await repo.next('a1'), await repo.next('a2'), await repo.next('a1')]).toEqual([1, 2, 1, 3]);
      await counters.updateOne({ _id: 'invoice:a1' }, { $set: { lastNumber: 1 } });
      expect(await repo.next('a1')).toBe(4);
      expect(await repo.next('a1')).toBe(5);
    });
  }
});
