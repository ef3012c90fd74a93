import { isolate, waitFor } from '@orderhub/testkit';
import { MongoClient } from 'mongodb';
import { type MailRecord, MailStore, type NewMail } from '../src/store/mail-store';

/**
 * The mail store on the real database server: claims by id are exclusive even when replicas race, and
 * the parse worker and the forward relay changing one mail at the same time lose neither change
 * (FerretDB v1 runs an update as read-then-write, so this needs the revision guard).
 */
describe('mail store', () => {
  const iso = isolate('mailstore');
  let client: MongoClient;
  let store: MailStore;
  let seq = 0;

  const newMail = (): NewMail => {
    seq += 1;
    return {
      dedupKey: `<m${seq}@test>:hash${seq}:conn`,
      sha256: `hash${seq}`,
      size: 10,
      raw: Buffer.from(`Subject: ${seq}\r\n\r\nbody`),
      envelope: { mailFrom: 'shop@jimdo.com', rcptTo: ['x-jimdo-orderimport@test'] },
      recipients: [{ address: 'x-jimdo-orderimport@test', connectionId: 'conn', accountId: 'acc' }],
      receivedAt: new Date(Date.now() - 1000 + seq),
      forward: { state: 'pending', to: ['merchant@example.test'], attempts: 0, nextAttemptAt: new Date(0), leaseUntil: null },
    };
  };

  beforeAll(async () => {
    client = await new MongoClient(iso.mongoUrl).connect();
    store = new MailStore(client.db());
    await store.ensureIndexes();
  });
  afterAll(async () => {
    await client?.db().dropDatabase();
    await client?.close();
  });

  it('ten workers claiming the same mail at once: exactly one gets it, and attempts counts one', async () => {
    const mail = await store.insert(newMail());
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => store.claim(mail._id, `worker-${i}`, 30_000)));
    const winners = claims.filter((c) => c !== null);
    expect(winners).toHaveLength(1);
    const stored = await store.get(mail._id);
    expect(stored).toMatchObject({ attempts: 1, leaseOwner: winners[0]!.leaseOwner });
    // Leased: nobody else takes it, not by id and not by search.
    expect(await store.claim(mail._id, 'late', 30_000)).toBeNull();
    expect(await store.waiting(100)).not.toContain(mail._id);
  });

  it('only the lease holder records the outcome', async () => {
    const mail = await store.insert(newMail());
    await store.claim(mail._id, 'holder', 30_000);
    await store.finish(mail._id, 'someone-else', 'parsed', { orderNumber: 'X' });
    expect((await store.get(mail._id))?.state).toBe('received');
    await store.finish(mail._id, 'holder', 'parsed', { orderNumber: 'X' });
    expect(await store.get(mail._id)).toMatchObject({ state: 'parsed', orderNumber: 'X', leaseUntil: null });
  });

  it('parse and forward changing one mail at the same time keep both changes', async () => {
    const mails = await Promise.all(Array.from({ length: 8 }, () => store.insert(newMail())));
    await Promise.all(
      mails.map(async (m) => {
        const [parse, forward] = await Promise.all([store.claim(m._id, 'parser', 30_000), store.claimForward(m._id, 'relay', 30_000)]);
        expect(parse).not.toBeNull();
        expect(forward).not.toBeNull();
        await Promise.all([
          store.finish(m._id, 'parser', 'parsed', { orderNumber: m._id }),
          store.forwardDone(m._id, { state: 'sent', sentAt: new Date() }),
        ]);
      }),
    );
    for (const m of mails) {
      const stored = await store.get(m._id);
      expect(stored).toMatchObject({ state: 'parsed', orderNumber: m._id, attempts: 1 });
      expect(stored?.forward).toMatchObject({ state: 'sent', attempts: 1, leaseUntil: null });
    }
  });

  it('the holder writes its outcome without reading the mail again, unless it changed since the claim', async () => {
    const monitored = await new MongoClient(iso.mongoUrl, { monitorCommands: true }).connect();
    try {
      const reads: string[] = [];
      monitored.on('commandStarted', (e) => {
        if (e.commandName === 'find' && e.command.find === 'mails') reads.push(String(e.command.filter?._id));
      });
      const own = new MailStore(monitored.db());
      const quiet = await own.insert(newMail());
      await own.claim(quiet._id, 'holder', 30_000);
      reads.length = 0;
      await own.finish(quiet._id, 'holder', 'parsed', { orderNumber: 'Q' });
      expect(reads).toEqual([]);
      expect(await store.get(quiet._id)).toMatchObject({ state: 'parsed', orderNumber: 'Q', leaseUntil: null });

      const changed = await own.insert(newMail());
      await own.claim(changed._id, 'holder', 30_000);
      await store.claimForward(changed._id, 'relay', 30_000);
      reads.length = 0;
      await own.finish(changed._id, 'holder', 'parsed', { orderNumber: 'C' });
      expect(reads).toEqual([changed._id]);
      const stored = await store.get(changed._id);
      expect(stored).toMatchObject({ state: 'parsed', orderNumber: 'C' });
      expect(stored?.forward).toMatchObject({ owner: 'relay', attempts: 1 });
    } finally {
      await monitored.close();
    }
  });

  it('a mail stored leased to its worker is taken without a read or a write; nobody else takes it meanwhile', async () => {
    const monitored = await new MongoClient(iso.mongoUrl, { monitorCommands: true }).connect();
    try {
      const commands: string[] = [];
      monitored.on('commandStarted', (e) => {
        if (['find', 'insert', 'update', 'delete'].includes(e.commandName))
          commands.push(`${e.commandName} ${String(e.command[e.commandName])}`);
      });
      const own = new MailStore(monitored.db());
      const mail = await own.insert(newMail(), { owner: 'w1', leaseMs: 30_000 });
      expect(await store.claim(mail._id, 'other', 30_000)).toBeNull();
      expect(await store.waiting(1000)).not.toContain(mail._id);
      commands.length = 0;
      const taken = await own.claim(mail._id, 'w1', 30_000);
      expect(taken).toMatchObject({ _id: mail._id, attempts: 1, leaseOwner: 'w1' });
      expect(commands).toEqual([]);
      await own.finish(mail._id, 'w1', 'parsed', { orderNumber: 'L' });
      expect(await store.get(mail._id)).toMatchObject({ state: 'parsed', orderNumber: 'L', attempts: 1, leaseUntil: null });
    } finally {
      await monitored.close();
    }
  });

  it('mails stored at once go in together; a duplicate among them is refused, the others are stored', async () => {
    const monitored = await new MongoClient(iso.mongoUrl, { monitorCommands: true }).connect();
    try {
      const inserts: Record<string, number> = {};
      monitored.on('commandStarted', (e) => {
        if (e.commandName === 'insert') inserts[String(e.command.insert)] = (inserts[String(e.command.insert)] ?? 0) + 1;
      });
      const own = new MailStore(monitored.db());
      const first = await own.insert(newMail());
      for (const key of Object.keys(inserts)) delete inserts[key];
      const mails = Array.from({ length: 12 }, () => newMail());
      const again = { ...newMail(), dedupKey: first.dedupKey };
      const outcomes = await Promise.allSettled([...mails, again].map((m) => own.insert(m)));
      expect(outcomes.slice(0, 12).every((o) => o.status === 'fulfilled')).toBe(true);
      expect((outcomes[12] as PromiseRejectedResult).reason).toMatchObject({ existingId: first._id });
      for (const o of outcomes.slice(0, 12)) expect(await store.get((o as PromiseFulfilledResult<MailRecord>).value._id)).not.toBeNull();
      expect(inserts.mails).toBeLessThan(13);
      expect(inserts.mail_raws).toBeLessThan(13);
      // parsed, so that later searches do not meet them
      for (const id of [first._id, ...outcomes.slice(0, 12).map((o) => (o as PromiseFulfilledResult<MailRecord>).value._id)]) {
        await own.claim(id, 'cleanup', 30_000);
        await own.finish(id, 'cleanup', 'ignored', { reason: 'spec' });
      }
    } finally {
      await monitored.close();
    }
  });

  it('a search while a mail of this process is being finished does not read that mail', async () => {
    const monitored = await new MongoClient(iso.mongoUrl, { monitorCommands: true }).connect();
    try {
      let finished = false;
      const readsWhileFinishing: string[] = [];
      monitored.on('commandStarted', (e) => {
        if (e.commandName === 'find' && e.command.find === 'mails' && !finished) readsWhileFinishing.push(String(e.command.filter?._id));
      });
      const own = new MailStore(monitored.db());
      const mail = await own.insert(newMail(), { owner: 'w4', leaseMs: 30_000 });
      await own.claim(mail._id, 'w4', 30_000);
      // A search that meets the marker after the finish was done may read the mail (to drop its marker).
      const finishing = own.finish(mail._id, 'w4', 'parsed', { orderNumber: 'F' }).then(() => void (finished = true));
      const found = await own.waiting(1000);
      await finishing;
      expect(found).not.toContain(mail._id);
      expect(readsWhileFinishing).not.toContain(mail._id);
      expect(await store.waiting(1000)).not.toContain(mail._id);
    } finally {
      await monitored.close();
    }
  });

  it('a mail stored leased to its worker that gets to it late (under half the lease left) is claimed again; once the lease ran out, by anyone', async () => {
    const storedAt = Date.now();
    const late = await store.insert(newMail(), { owner: 'w2', leaseMs: 1_000 });
    await waitFor(() => Date.now() >= storedAt + 600, { what: 'half the lease gone' });
    const again = await store.claim(late._id, 'w2', 1_000);
    expect(again).toMatchObject({ attempts: 2, leaseOwner: 'w2' });

    const orphan = await store.insert(newMail(), { owner: 'gone', leaseMs: 500 });
    const taken = await waitFor(async () => (await store.claim(orphan._id, 'w3', 30_000)) ?? undefined, { what: 'the orphan taken over' });
    expect(taken).toMatchObject({ leaseOwner: 'w3', attempts: 2 });
  });

  it("a mail's bytes are kept apart from its record: another process's worker and the forward relay get them; a mail stored with them inline still gives them", async () => {
    const mail = await store.insert(newMail());
    const records = client.db().collection<{ _id: string; raw?: unknown }>('mails');
    expect((await records.findOne({ _id: mail._id }))?.raw).toBeUndefined();
    const other = new MailStore(client.db());
    expect((await other.claim(mail._id, 'other-process', 30_000))?.raw.equals(mail.raw)).toBe(true);
    expect((await other.claimForward(mail._id, 'relay', 30_000))?.raw.equals(mail.raw)).toBe(true);

    // As mails were stored before: bytes inline, none apart.
    const legacy = await store.insert(newMail());
    await client.db().collection<{ _id: string }>('mail_raws').deleteOne({ _id: legacy._id });
    await records.updateOne({ _id: legacy._id }, { $set: { raw: legacy.raw } });
    expect((await other.claim(legacy._id, 'other-process', 30_000))?.raw.equals(legacy.raw)).toBe(true);
  });

  it('a search on FerretDB looks only at mails still waiting for work (markers), and a marker left over is dropped', async () => {
    const db = client.db(`${iso.dbName}_markers`);
    const own = new MailStore(db);
    const markers = db.collection<{ _id: string; work: string; mailId: string }>('mail_work_markers');
    const parseMarked = async () => (await markers.find({ work: 'parse' }).toArray()).map((m) => m.mailId).sort();
    const mails = [];
    for (let i = 0; i < 6; i++) mails.push(await own.insert(newMail()));
    for (const m of mails.slice(0, 4)) {
      await own.claim(m._id, 'w', 30_000);
      await own.finish(m._id, 'w', 'parsed', {});
    }
    const waiting = mails.slice(4).map((m) => m._id);
    expect(await parseMarked()).toEqual([...waiting].sort());
    expect(await own.waiting(100)).toEqual(waiting);

    // A marker the finish could not remove (a crash in between) goes with the next search.
    await markers.insertOne({ _id: `parse:${mails[0]!._id}`, work: 'parse', mailId: mails[0]!._id, at: new Date(0) } as never);
    expect(await own.waiting(100)).toEqual(waiting);
    expect(await parseMarked()).toEqual([...waiting].sort());

    // A marker without its mail: kept while the mail may still be being stored, dropped once it is old.
    await markers.insertOne({ _id: 'parse:storing', work: 'parse', mailId: 'storing', at: new Date() } as never);
    await markers.insertOne({ _id: 'parse:never-stored', work: 'parse', mailId: 'never-stored', at: new Date(0) } as never);
    expect(await own.waiting(100)).toEqual(waiting);
    expect(await parseMarked()).toEqual([...waiting, 'storing'].sort());

    // Mails stored before markers were written are marked at start.
    await markers.deleteMany({});
    expect(await own.waiting(100)).toEqual([]);
    await own.restoreWorkMarkers();
    expect(await own.waiting(100)).toEqual(waiting);
    await db.dropDatabase();
  });

  it('a search finds the waiting mails oldest first, and a retry only once it is due', async () => {
    const retried = await store.insert(newMail());
    await store.claim(retried._id, 'w', 30_000);
    await store.release(retried._id, 'w', 'NATS down', 60_000);
    const first = await store.insert(newMail());
    const second = await store.insert(newMail());
    const waiting = await store.waiting(1000);
    expect(waiting).not.toContain(retried._id);
    expect(waiting.indexOf(first._id)).toBeGreaterThanOrEqual(0);
    expect(waiting.indexOf(first._id)).toBeLessThan(waiting.indexOf(second._id));
    expect(await store.waiting(1)).toHaveLength(1);
    expect(await store.get(retried._id)).toMatchObject({ reason: 'NATS down', attempts: 1 });
  });

  it('a search finds forward copies that are due, not those leased by a relay', async () => {
    const leased = await store.insert(newMail());
    const due = await store.insert(newMail());
    await store.claimForward(leased._id, 'relay', 30_000);
    const found = await store.forwardsDue(1000);
    expect(found).toContain(due._id);
    expect(found).not.toContain(leased._id);
  });
});
