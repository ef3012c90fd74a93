import { mongo } from 'mongoose';
import { TestDatabase } from '@orderhub/testkit';
import { type RevisionCheck, RevisionGuard, revisionCheckFor, VersionConflict } from '../src';

interface Counter {
  _id: string;
  value: number;
  rev?: number;
}

/**
 * Optimistic concurrency on the real database server, for both ways of checking the revision. The
 * race (many writers at one revision, exactly one wins) runs with the check this server gets: claims
 * on FerretDB, whose conditional updates are not atomic, the conditional update on MongoDB.
 */
describe('RevisionGuard', () => {
  const database = new TestDatabase('revguard');
  let db: mongo.Db;
  let counters: mongo.Collection<Counter>;
  let detected: RevisionCheck;

  beforeAll(async () => {
    db = await database.open();
    counters = db.collection<Counter>('counters');
    detected = await revisionCheckFor(db);
  });
  afterAll(() => database.close());

  const guardWith = (check: RevisionCheck) => new RevisionGuard(db.collection('write_claims') as never, `counters-${check}`, check);
  const add = (guard: RevisionGuard, id: string, rev: number, by: number) =>
    guard.update(counters as never, { _id: id }, rev, { $inc: { value: by } });

  it('tells the servers apart: claims for FerretDB, the conditional update for MongoDB', async () => {
    const info = await db.admin().command({ buildInfo: 1 });
    expect(detected).toBe('ferretdbVersion' in info ? 'claims' : 'conditional');
  });

  for (const check of ['claims', 'conditional'] as const) {
    describe(`${check}`, () => {
      it('writes at the current revision and moves it on; a stale revision is a VersionConflict and changes nothing', async () => {
        const id = `seq-${check}`;
        await counters.insertOne({ _id: id, value: 0, rev: 0 });
        const guard = guardWith(check);
        await add(guard, id, 0, 5);
        expect(await counters.findOne({ _id: id })).toMatchObject({ value: 5, rev: 1 });
        await expect(add(guard, id, 0, 100)).rejects.toBeInstanceOf(VersionConflict);
        await add(guard, id, 1, 1);
        expect(await counters.findOne({ _id: id })).toMatchObject({ value: 6, rev: 2 });
      });

      it('a document written before revisions existed counts as revision 0; a missing one is a conflict', async () => {
        const id = `legacy-${check}`;
        await counters.insertOne({ _id: id, value: 1 });
        const guard = guardWith(check);
        await add(guard, id, 0, 1);
        expect(await counters.findOne({ _id: id })).toMatchObject({ value: 2, rev: 1 });
        await expect(add(guard, `missing-${check}`, 0, 1)).rejects.toBeInstanceOf(VersionConflict);
      });
    });
  }

  it('twenty writers at one revision at once: exactly one wins, with the check this server gets', async () => {
    const id = 'race';
    await counters.insertOne({ _id: id, value: 0, rev: 0 });
    const guard = guardWith(detected);
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => add(guard, id, 0, 1)));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    expect(won).toHaveLength(1);
    for (const l of lost) expect((l as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflict);
    expect(await counters.findOne({ _id: id })).toMatchObject({ value: 1, rev: 1 });
  });
});
