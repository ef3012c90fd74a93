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

      it('holdNew keeps new documents from other writers until their inserter releases them', async () => {
        const id = `new-${check}`;
        const guard = guardWith(check);
        const held = await guard.holdNew([id], counters as never);
        expect([...held.ids]).toEqual([id]);
        const rev = await guard.newRevision();
        await counters.insertOne({ _id: id, value: 0, rev });
        await expect(add(guardWith(check), id, rev, 1)).rejects.toBeInstanceOf(VersionConflict);
        await held.release([id]);
        const after = (await counters.findOne({ _id: id }))!;
        await add(guardWith(check), id, after.rev ?? 0, 1);
        expect(await counters.findOne({ _id: id })).toMatchObject({ value: 1, rev: 1 });
      });

      it('updateHolding writes and keeps the new revision for its writer: its second write needs no read, another writer waits for the release', async () => {
        const id = `held-${check}`;
        await counters.insertOne({ _id: id, value: 0, rev: 0 });
        const guard = guardWith(check);
        await expect(guard.updateHolding(counters as never, { _id: id }, 1, { $inc: { value: 1 } })).rejects.toBeInstanceOf(
          VersionConflict,
        );
        const held = await guard.updateHolding(counters as never, { _id: id }, 0, { $inc: { value: 1 } });
        expect(await counters.findOne({ _id: id })).toMatchObject({ value: 1, rev: 1 });
        if (check === 'claims') await expect(add(guardWith(check), id, 1, 100)).rejects.toBeInstanceOf(VersionConflict);
        const written = await guard.updateHeld(counters as never, held, [{ _id: id, rev: 1, update: { $inc: { value: 10 } } }]);
        expect([...written]).toEqual([id]);
        await held.release();
        expect(await counters.findOne({ _id: id })).toMatchObject({ value: 11, rev: 2 });
        await add(guardWith(check), id, 2, 100);
        expect(await counters.findOne({ _id: id })).toMatchObject({ value: 111, rev: 3 });
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

  it('ten writers holding and ten plain writers at one revision at once: exactly one wins', async () => {
    const id = 'race-held';
    await counters.insertOne({ _id: id, value: 0, rev: 0 });
    const guard = guardWith(detected);
    const holding = Array.from({ length: 10 }, () => guard.updateHolding(counters as never, { _id: id }, 0, { $inc: { value: 1 } }));
    const plain = Array.from({ length: 10 }, () => add(guard, id, 0, 1));
    const outcomes = await Promise.allSettled([...holding, ...plain]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(VersionConflict);
    const winner = outcomes.find((o) => o.status === 'fulfilled') as PromiseFulfilledResult<unknown>;
    if (winner.value) {
      const held = winner.value as Awaited<ReturnType<RevisionGuard['updateHolding']>>;
      await guard.updateHeld(counters as never, held, [{ _id: id, rev: 1, update: { $inc: { value: 1 } } }]);
      await held.release();
    }
    expect(await counters.findOne({ _id: id })).toMatchObject(winner.value ? { value: 2, rev: 2 } : { value: 1, rev: 1 });
  });
});
