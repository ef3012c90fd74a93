import { mongo } from 'mongoose';
import { isolate, waitFor } from '@orderhub/testkit';
import { ListMirror, type RevisionCheck } from '../src';

interface Doc {
  _id: string;
  accountId: string;
  state: number;
  at: Date;
  buyer?: { email: string; street: string };
  body: string;
}

const FIELDS = ['accountId', 'state', 'at', 'buyer.email'];

/**
 * Lists through the mirror on the real database server, in both modes: straight from the
 * collection (MongoDB) and from the slim copies (FerretDB). Both must give the same pages.
 */
describe('ListMirror', () => {
  const iso = isolate('listmirror');
  let client: mongo.MongoClient;
  let db: mongo.Db;

  beforeAll(async () => {
    client = await new mongo.MongoClient(iso.mongoUrl).connect();
    db = client.db();
  });
  afterAll(async () => {
    await db?.dropDatabase();
    await client?.close();
  });

  const doc = (i: number, over: Partial<Doc> = {}): Doc => ({
    _id: `d${String(i).padStart(3, '0')}`,
    accountId: i % 2 ? 'a' : 'b',
    state: i % 3,
    at: new Date(Date.UTC(2026, 0, 1, 0, i)),
    buyer: { email: `b${i}@example.com`, street: 'Hauptstr. 1' },
    body: 'x'.repeat(2000),
    ...over,
  });

  for (const check of ['claims', 'conditional'] as const satisfies RevisionCheck[]) {
    describe(check, () => {
      let docs: mongo.Collection<Doc>;
      let copies: mongo.Collection<{ _id: string }>;
      let mirror: ListMirror<Doc>;
      const write = async (d: Doc) => {
        await docs.insertOne(d);
        await mirror.added([d]);
      };

      beforeAll(async () => {
        docs = db.collection<Doc>(`docs_${check}`);
        copies = db.collection(`docs_${check}_list`);
        mirror = new ListMirror(docs, copies as never, FIELDS, check);
        for (let i = 0; i < 20; i += 1) await write(doc(i));
      });

      it('pages by filter and sort, reads the documents themselves and counts', async () => {
        const page = await mirror.find({ accountId: 'a', state: { $in: [0, 1] } }, { sort: { at: -1, _id: -1 }, skip: 1, limit: 3 });
        const expected = Array.from({ length: 20 }, (_, i) => doc(i))
          .filter((d) => d.accountId === 'a' && d.state !== 2)
          .reverse()
          .slice(1, 4);
        expect(page.map((d) => d._id)).toEqual(expected.map((d) => d._id));
        expect(page[0]?.body).toHaveLength(2000);
        expect(await mirror.count({ accountId: 'a' })).toBe(10);
        const byState = await mirror.aggregate<{ _id: number; n: number }>([
          { $match: { accountId: 'b' } },
          { $group: { _id: '$state', n: { $sum: 1 } } },
        ]);
        expect(byState.sort((x, y) => x._id - y._id)).toEqual([
          { _id: 0, n: 4 },
          { _id: 1, n: 3 },
          { _id: 2, n: 3 },
        ]);
      });

      it('copies only the listed fields, in the document’s shape', async () => {
        if (check === 'conditional') return expect(await copies.countDocuments({})).toBe(0);
        expect(await copies.findOne({ _id: 'd001' })).toEqual({
          _id: 'd001',
          accountId: 'a',
          state: 1,
          at: doc(1).at,
          buyer: { email: 'b1@example.com' },
        });
      });

      it('follows a change of a document', async () => {
        await docs.updateOne({ _id: 'd003' }, { $set: { state: 7 } });
        await mirror.changed({ ...doc(3), state: 7 });
        expect((await mirror.find({ state: 7 }, { sort: { _id: 1 }, limit: 5 })).map((d) => d._id)).toEqual(['d003']);
      });

      it('repair puts back a copy a crash left missing or behind', async () => {
        await docs.insertOne(doc(40)); // crashed before its copy
        await docs.updateOne({ _id: 'd005' }, { $set: { state: 9 } }); // crashed before the copy followed
        const written = await mirror.repair();
        expect(written).toBe(check === 'claims' ? 2 : 0);
        expect((await mirror.find({ state: 9 }, { sort: { _id: 1 }, limit: 5 })).map((d) => d._id)).toEqual(['d005']);
        expect(await mirror.count({ accountId: 'b' })).toBe(11);
        expect(await mirror.repair()).toBe(0);
      });

      it('a copy whose write failed after its document was stored is written again, without failing the write', async () => {
        if (check === 'conditional') return;
        let failures = 2;
        const flaky = new Proxy(copies, {
          get(target, key, receiver) {
            const value = Reflect.get(target, key, receiver) as unknown;
            if ((key !== 'insertMany' && key !== 'replaceOne') || typeof value !== 'function') return value;
            return (...args: unknown[]) => {
              if (failures-- > 0) return Promise.reject(new Error('database away'));
              return (value as (...a: unknown[]) => unknown).apply(target, args);
            };
          },
        });
        const shaky = new ListMirror(docs, flaky as never, FIELDS, check);
        await docs.insertOne(doc(60));
        await shaky.added([doc(60)]);
        await docs.updateOne({ _id: 'd060' }, { $set: { state: 8 } });
        await shaky.changed({ ...doc(60), state: 8 });
        await waitFor(async () => (await copies.findOne({ _id: 'd060' }))?.state === 8, { what: 'the copy written again' });
      });

      it('refuses a list over a field without a copy instead of finding nothing', async () => {
        const list = mirror.find({ $or: [{ state: 99 }, { 'buyer.street': 'x' }] }, { sort: { _id: 1 }, limit: 1 });
        if (check === 'claims') await expect(list).rejects.toThrow('buyer.street');
        else await expect(list).resolves.toEqual([]);
      });
    });
  }
});
