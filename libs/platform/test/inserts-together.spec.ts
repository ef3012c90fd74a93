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
});
