import { mongo } from 'mongoose';
import { TestDatabase } from '@orderhub/testkit';
import { InsertsTogether } from '../src';

interface Item {
  _id: string;
  [key: string]: unknown;
}

/** Concurrent inserts sent together, on the real database server: each writer gets its own answer. */
describe('InsertsTogether', () => {
  const database = new TestDatabase('insertstogether');
  let db: mongo.Db;

  beforeAll(async () => {
    db = await database.open();
  });
  afterAll(() => database.close());

  it('a duplicate key answers false to its writer; a document refused for another reason fails its writer only', async () => {
    const items = db.collection<Item>('items');
    await items.insertOne({ _id: 'taken' });
    const together = new InsertsTogether(items);
    const outcomes = await Promise.allSettled([
      together.insert([{ _id: 'first' }]),
      together.insert([{ _id: 'second' }, { _id: 'taken' }]),
      together.insert([{ _id: 'refused', $bad: 1 }]),
      together.insert([{ _id: 'third' }]),
    ]);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'rejected'))).toEqual([[true], [true, false], 'rejected', [true]]);
    expect((await items.find({}, { sort: { _id: 1 } }).toArray()).map((d) => d._id)).toEqual(['first', 'second', 'taken', 'third']);
  });

  it('exclusive: a document another writer stored after a refusal stopped the batch is answered false; by default it counts as inserted', async () => {
    // A server that stops an unordered insert at the refused statement, as FerretDB v1 does an update,
    // while another writer stores `held` before the batch's writers are answered.
    const stopsAtRefusal = (stored: Set<string>) => ({
      insertMany: async (docs: Item[]) => {
        const refused = docs.findIndex((d) => '$bad' in d);
        for (const d of refused < 0 ? docs : docs.slice(0, refused)) stored.add(d._id);
        if (refused < 0) return;
        stored.add('held');
        throw Object.assign(new Error('refused'), { writeErrors: [{ index: refused, code: 2 }] });
      },
      findOne: async ({ _id }: { _id: string }) => (stored.has(_id) ? { _id } : null),
      insertOne: async (doc: Item) => {
        if (stored.has(doc._id) || '$bad' in doc) throw Object.assign(new Error('refused'), { code: stored.has(doc._id) ? 11000 : 2 });
        stored.add(doc._id);
      },
    });
    const answers = async (exclusive: boolean) => {
      const together = new InsertsTogether(stopsAtRefusal(new Set()) as unknown as mongo.Collection<Item>, { exclusive });
      const outcomes = await Promise.allSettled([
        together.insert([{ _id: 'first' }]),
        together.insert([{ _id: 'refused', $bad: 1 }]),
        together.insert([{ _id: 'held' }]),
      ]);
      return outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'rejected'));
    };
    expect(await answers(true)).toEqual([[true], 'rejected', [false]]);
    expect(await answers(false)).toEqual([[true], 'rejected', [true]]);
  });
});
