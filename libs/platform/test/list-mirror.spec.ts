import { mongo } from 'mongoose';
import { TestDatabase, waitFor } from '@orderhub/testkit';
import { type HeadDoc, ListHeads, ListMirror, type RevisionCheck, RevisionGuard } from '../src';

interface Doc {
  _id: string;
  accountId: string;
  state: number;
  at: Date;
  buyer?: { email: string; street: string };
  body: string;
}

const FIELDS = ['accountId', 'state', 'at', 'buyer.email'];
/** A document's list copy: only FIELDS, in the document's shape. */
type Copy = Pick<Doc, '_id' | 'accountId' | 'state' | 'at'> & { buyer?: { email: string } };

/**
 * Lists through the mirror on the real database server, in both modes: straight from the
 * collection (MongoDB) and from the slim copies (FerretDB). Both must give the same pages.
 */
describe('ListMirror', () => {
  const database = new TestDatabase('listmirror');
  let db: mongo.Db;

  beforeAll(async () => {
    db = await database.open();
  });
  afterAll(() => database.close());

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
      let copies: mongo.Collection<Copy>;
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

      it('a document whose write failed but was stored anyway gets its copy from what is stored; one never stored gets none', async () => {
        if (check === 'conditional') return;
        await docs.insertOne(doc(61, { state: 77 }));
        await mirror.maybeWritten(['d061', 'd062']);
        await waitFor(async () => (await copies.findOne({ _id: 'd061' }))?.state === 77, { what: 'the copy of the stored document' });
        const page = await mirror.find({ state: 77 }, { sort: { _id: 1 }, limit: 5 });
        expect(page.map((d) => d._id)).toEqual(['d061']);
        expect(await copies.findOne({ _id: 'd062' })).toBeNull();
      });

      it('refuses a list over a field without a copy instead of finding nothing', async () => {
        const list = mirror.find({ $or: [{ state: 99 }, { 'buyer.street': 'x' }] }, { sort: { _id: 1 }, limit: 1 });
        if (check === 'claims') await expect(list).rejects.toThrow('buyer.street');
        else await expect(list).resolves.toEqual([]);
      });
    });
  }
});

/**
 * The heads (FerretDB): an account's newest page read from one document instead of a scan of the
 * copies. Every page is checked against what the scan gives, through adds, sort-key changes, failed
 * head writes, concurrent writers and repair; the scan is counted to show when the head answered.
 */
describe('ListMirror with heads (claims)', () => {
  const database = new TestDatabase('listheads');
  let db: mongo.Db;
  beforeAll(async () => {
    db = await database.open();
  });
  afterAll(() => database.close());

  const NEWEST = { sort: { at: -1 as const, _id: -1 as const }, limit: 3 };
  let run = 0;
  /** A fresh set of collections and a mirror over them (a second mirror on the same ones is another replica). */
  function setup(name = `h${++run}`) {
    const docs = db.collection<Doc>(`${name}_docs`);
    const copies = db.collection<{ _id: string }>(`${name}_docs_list`);
    const headDocs = db.collection<HeadDoc>(`${name}_heads`);
    const scans = { count: 0 };
    const counted = new Proxy(copies, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (key !== 'find' || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          scans.count += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const replica = (headCollection: mongo.Collection<HeadDoc> = headDocs) =>
      new ListMirror(
        docs,
        counted as never,
        FIELDS,
        'claims',
        new ListHeads({
          partition: 'accountId',
          sortKey: 'at',
          heads: headCollection,
          guard: new RevisionGuard(db.collection(`${name}_claims`), 'heads', 'claims'),
          size: 5,
        }),
      );
    const expected = async (accountId: string) =>
      (await docs.find({ accountId }).sort({ at: -1, _id: -1 }).limit(NEWEST.limit).toArray()).map((d) => d._id);
    return { docs, headDocs, scans, mirror: replica(), replica, expected };
  }
  const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
  const item = (id: number, minute: number, accountId = 'a'): Doc => ({ _id: `o${id}`, accountId, state: 1, at: at(minute), body: '' });

  it('answers the newest page from the head after one scan, and follows new documents', async () => {
    const { docs, scans, mirror, expected } = setup();
    const add = async (...items: Doc[]) => {
      await docs.insertMany(items);
      await mirror.added(items);
    };
    await add(item(1, 10), item(2, 30), item(3, 20), item(4, 5, 'b'));
    const ids = async () => (await mirror.find({ accountId: 'a' }, NEWEST)).map((d) => d._id);
    expect(await ids()).toEqual(await expected('a'));
    expect(scans.count).toBe(1); // the head was incomplete: the scan completed it
    expect(await ids()).toEqual(['o2', 'o3', 'o1']);
    await add(item(5, 25), item(6, 1));
    expect(await ids()).toEqual(['o2', 'o5', 'o3']);
    expect(scans.count).toBe(1);
    // other lists still scan
    await mirror.find({ accountId: 'a', state: 1 }, NEWEST);
    expect(scans.count).toBe(2);
  });

  it('follows sort keys that change: into the head, within it and out of it; the same with the key before unknown', async () => {
    const { docs, scans, mirror, expected } = setup();
    const items = Array.from({ length: 12 }, (_, i) => item(i, i * 10));
    await docs.insertMany(items);
    await mirror.added(items);
    await mirror.find({ accountId: 'a' }, NEWEST); // completes the head (5 newest of 12)
    const moves: [number, number, boolean][] = [
      [0, 500, true], // from far behind to the front
      [11, 1, true], // from the head to far behind
      [10, 105, false], // within the head, key before not told
      [3, 95, false], // from behind into the head's tail, key before not told
      [0, 0, true],
      [9, 300, true],
    ];
    for (const [i, minute, told] of moves) {
      const before = (await docs.findOne({ _id: `o${i}` }))!.at;
      await docs.updateOne({ _id: `o${i}` }, { $set: { at: at(minute) } });
      await mirror.changed({ ...item(i, minute) }, told ? before : undefined);
      expect((await mirror.find({ accountId: 'a' }, NEWEST)).map((d) => d._id)).toEqual(await expected('a'));
    }
    // the head shrank as documents left it; it still answered pages it could
    expect(scans.count).toBeLessThan(1 + moves.length);
  });

  it('a head write that fails leaves the head incomplete; the page is right meanwhile and from the head again after a scan', async () => {
    const { docs, headDocs, scans, replica, expected } = setup();
    let failures = 0;
    const flaky = new Proxy(headDocs, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if ((key !== 'updateOne' && key !== 'bulkWrite') || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (failures-- > 0) return Promise.reject(new Error('database away'));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const mirror = replica(flaky as never);
    await docs.insertMany([item(1, 10), item(2, 20)]);
    await mirror.added([item(1, 10), item(2, 20)]);
    await mirror.find({ accountId: 'a' }, NEWEST);
    failures = 1;
    await docs.insertOne(item(3, 30));
    await mirror.added([item(3, 30)]); // its head update fails
    await waitFor(async () => (await headDocs.findOne({ _id: 'a' }))?.complete === false, { what: 'the head marked incomplete' });
    const scansBefore = scans.count;
    expect((await mirror.find({ accountId: 'a' }, NEWEST)).map((d) => d._id)).toEqual(await expected('a'));
    expect((await mirror.find({ accountId: 'a' }, NEWEST)).map((d) => d._id)).toEqual(['o3', 'o2', 'o1']);
    expect(scans.count).toBe(scansBefore + 1);
  });

  it('two replicas adding to one account at once: every page equals the scan', async () => {
    const { docs, mirror, replica, expected } = setup();
    const other = replica();
    await docs.insertOne(item(0, 0));
    await mirror.added([item(0, 0)]);
    await mirror.find({ accountId: 'a' }, NEWEST);
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const d = item(100 + i, 1000 - i * 7);
        await docs.insertOne(d);
        await (i % 2 ? mirror : other).added([d]);
      }),
    );
    expect((await mirror.find({ accountId: 'a' }, NEWEST)).map((d) => d._id)).toEqual(await expected('a'));
    expect((await other.find({ accountId: 'a' }, NEWEST)).map((d) => d._id)).toEqual(await expected('a'));
  });

  it('repair (at start) empties the heads: a document a crash kept from its head is on the page', async () => {
    const { docs, mirror, expected } = setup();
    await docs.insertMany([item(1, 10), item(2, 20)]);
    await mirror.added([item(1, 10), item(2, 20)]);
    await mirror.find({ accountId: 'a' }, NEWEST);
    await docs.insertOne(item(3, 99)); // crashed before its copy and head
    await mirror.repair();
    expect((await mirror.find({ accountId: 'a' }, NEWEST)).map((d) => d._id)).toEqual(await expected('a'));
    expect((await expected('a'))[0]).toBe('o3');
  });
});
