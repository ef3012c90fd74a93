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
  /** `readAt`: when the writer read `rev` (a fresh read skips the second read on FerretDB). */
  const add = (guard: RevisionGuard, id: string, rev: number, by: number, readAt?: number) =>
    guard.update(counters as never, { _id: id }, rev, { $inc: { value: by } }, readAt);

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

      it('a writer with a fresh read of a revision another writer has passed is refused, and one with an old read too once the tombstones are gone', async () => {
        const id = `late-${check}`;
        await counters.insertOne({ _id: id, value: 0, rev: 0 });
        const guard = guardWith(check);
        const readAt = Date.now();
        await add(guard, id, 0, 1, readAt);
        await expect(add(guardWith(check), id, 0, 100, readAt)).rejects.toBeInstanceOf(VersionConflict);
        await db.collection('write_claims').deleteMany({ _id: { $regex: `:${id}:` } } as never);
        await expect(add(guardWith(check), id, 0, 100, Date.now() - 60_000)).rejects.toBeInstanceOf(VersionConflict);
        expect(await counters.findOne({ _id: id })).toMatchObject({ value: 1, rev: 1 });
      });

      it('a holder that releases without a second write lets the next writer at the new revision', async () => {
        const id = `held-once-${check}`;
        await counters.insertOne({ _id: id, value: 0, rev: 0 });
        const held = await guardWith(check).updateHolding(counters as never, { _id: id }, 0, { $inc: { value: 1 } }, Date.now());
        await held.release();
        await add(guardWith(check), id, 1, 10, Date.now());
        expect(await counters.findOne({ _id: id })).toMatchObject({ value: 11, rev: 2 });
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
        // Written by another guard of the collection (the outbox relay's), as in the orders service.
        const written = await guardWith(check).updateHeld(counters as never, held, [{ _id: id, rev: 1, update: { $inc: { value: 10 } } }]);
        expect([...written]).toEqual([id]);
        await held.release();
        expect(await counters.findOne({ _id: id })).toMatchObject({ value: 11, rev: 2 });
        await expect(add(guardWith(check), id, 1, 1000, Date.now())).rejects.toBeInstanceOf(VersionConflict);
        await add(guardWith(check), id, 2, 100);
        expect(await counters.findOne({ _id: id })).toMatchObject({ value: 111, rev: 3 });
      });
    });
  }

  it('claims: writes of held documents that arrive while one is under way go out together, and every holder keeps its tombstone', async () => {
    const monitored = await new mongo.MongoClient(database.mongoUrl, { monitorCommands: true }).connect();
    try {
      const updates: number[] = [];
      monitored.on('commandStarted', (e) => {
        if (e.commandName === 'update' && e.command.update === 'counters') updates.push((e.command.updates as unknown[]).length);
      });
      const viaMonitored = monitored.db().collection<Counter>('counters');
      const guard = guardWith('claims');
      const ids = Array.from({ length: 12 }, (_, i) => `together-${i}`);
      await counters.insertMany(ids.map((_id) => ({ _id, value: 0, rev: 0 })));
      const holds = await Promise.all(ids.map((id) => guard.updateHolding(counters as never, { _id: id }, 0, { $inc: { value: 1 } })));
      const written = await Promise.all(
        holds.map((held, i) => guard.updateHeld(viaMonitored as never, held, [{ _id: ids[i]!, rev: 1, update: { $inc: { value: 10 } } }])),
      );
      await Promise.all(holds.map((held) => held.release()));
      expect(written.map((w) => [...w])).toEqual(ids.map((id) => [id]));
      expect(updates.reduce((a, b) => a + b, 0)).toBe(ids.length);
      expect(updates.length).toBeLessThan(ids.length);
      for (const id of ids) {
        expect(await counters.findOne({ _id: id })).toMatchObject({ value: 11, rev: 2 });
        // the tombstone of the held revision stays: a fresh reader of revision 1 is refused
        await expect(add(guardWith('claims'), id, 1, 1000, Date.now())).rejects.toBeInstanceOf(VersionConflict);
      }
    } finally {
      await monitored.close();
    }
  });

  it('claims: concurrent writers of different documents claim and update together; a writer whose document went meanwhile gets a VersionConflict, the others write', async () => {
    const monitored = await new mongo.MongoClient(database.mongoUrl, { monitorCommands: true }).connect();
    try {
      const commands = { insert: 0, update: 0 };
      monitored.on('commandStarted', (e) => {
        if (e.commandName === 'insert' && e.command.insert === 'write_claims') commands.insert += 1;
        if (e.commandName === 'update' && e.command.update === 'counters') commands.update += 1;
      });
      const guard = new RevisionGuard(monitored.db().collection('write_claims') as never, 'counters-concurrent', 'claims');
      const viaMonitored = monitored.db().collection<Counter>('counters');
      const ids = Array.from({ length: 12 }, (_, i) => `concurrent-${i}`);
      await counters.insertMany(ids.map((_id) => ({ _id, value: 0, rev: 0 })));
      const gone = ids[5] as string;
      await counters.deleteOne({ _id: gone });
      const outcomes = await Promise.allSettled(
        ids.map((id) => guard.update(viaMonitored as never, { _id: id }, 0, { $inc: { value: 1 } }, Date.now())),
      );
      expect(outcomes.map((o) => o.status)).toEqual(ids.map((id) => (id === gone ? 'rejected' : 'fulfilled')));
      expect((outcomes[5] as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflict);
      for (const id of ids.filter((i) => i !== gone)) expect(await counters.findOne({ _id: id })).toMatchObject({ value: 1, rev: 1 });
      expect(commands.insert).toBeLessThan(ids.length);
      expect(commands.update).toBeLessThan(ids.length);
      // each claim went in: a second writer at revision 0 is refused
      const other = new RevisionGuard(db.collection('write_claims') as never, 'counters-concurrent', 'claims');
      await expect(add(other, ids[0] as string, 0, 100, Date.now())).rejects.toBeInstanceOf(VersionConflict);
    } finally {
      await monitored.close();
    }
  });

  it('claims: an update the server refuses fails its own writer only, not the others sent in the same command', async () => {
    const guard = guardWith('claims');
    const ids = Array.from({ length: 12 }, (_, i) => `refused-${i}`);
    await counters.insertMany(ids.map((_id) => ({ _id, value: 0, rev: 0 })));
    const bad = ids[7] as string;
    await counters.updateOne({ _id: bad }, { $set: { value: 'not a number' as never } });
    const outcomes = await Promise.allSettled(ids.map((id) => add(guard, id, 0, 1, Date.now())));
    expect(outcomes.map((o) => o.status)).toEqual(ids.map((id) => (id === bad ? 'rejected' : 'fulfilled')));
    expect((outcomes[7] as PromiseRejectedResult).reason).not.toBeInstanceOf(VersionConflict);
    for (const id of ids.filter((i) => i !== bad)) expect(await counters.findOne({ _id: id })).toMatchObject({ value: 1, rev: 1 });
  });

  it('sweeps tombstones older than a minute after a write, and keeps younger ones', async () => {
    const claims = db.collection<{ _id: string; at: Date }>('write_claims_swept');
    await claims.insertMany([
      { _id: 'old', at: new Date(Date.now() - 120_000) },
      { _id: 'young', at: new Date(Date.now() - 5_000) },
    ]);
    await counters.insertOne({ _id: 'swept', value: 0, rev: 0 });
    await new RevisionGuard(claims as never, 'counters', 'claims').update(counters as never, { _id: 'swept' }, 0, { $inc: { value: 1 } });
    for (let left = await claims.countDocuments({ _id: 'old' }); left; left = await claims.countDocuments({ _id: 'old' })) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await claims.find({}).toArray()).map((c) => c._id).sort()).toEqual(['counters:swept:0', 'young']);
  });

  it('twenty writers at one revision at once: exactly one wins, with the check this server gets', async () => {
    const id = 'race';
    await counters.insertOne({ _id: id, value: 0, rev: 0 });
    const guard = guardWith(detected);
    const readAt = Date.now();
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => add(guard, id, 0, 1, i % 2 ? readAt : undefined)));
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
    const readAt = Date.now();
    const holding = Array.from({ length: 10 }, () =>
      guard.updateHolding(counters as never, { _id: id }, 0, { $inc: { value: 1 } }, readAt),
    );
    const plain = Array.from({ length: 10 }, () => add(guard, id, 0, 1, readAt));
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
