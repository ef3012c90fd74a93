import { type CommandStartedEvent, MongoClient } from 'mongodb';
import { isolate } from '@orderhub/testkit';
import { ImportJobStore, type ImportRowResult } from '../src/csv/import-job-store';

const ROWS = 100_000;
const BATCH = 500;

describe('import row results at 100 000 rows (issue 13)', () => {
  const iso = isolate('mailrows');
  let client: MongoClient;
  let store: ImportJobStore;
  const finds: CommandStartedEvent[] = [];

  beforeAll(async () => {
    client = new MongoClient(iso.mongoUrl, { monitorCommands: true });
    await client.connect();
    client.on('commandStarted', (e) => {
      if (e.commandName === 'find') finds.push(e);
    });
    store = new ImportJobStore(client.db());
  });

  afterAll(async () => {
    await client?.db().dropDatabase();
    await client?.close();
  });

  it('JIM-5: every error row of a 100 000-row job is listed in file order, each page read by _id alone', async () => {
    const job = await store.create({ _id: 'job-100k', accountId: 'acc', connectionId: 'c', skipDuplicates: true, bytes: 1 }, 60_000);
    let lastRow = 0;
    for (let start = 2; start < ROWS + 2; start += BATCH) {
      const batch: ImportRowResult[] = [];
      for (let row = start; row < Math.min(start + BATCH, ROWS + 2); row += 1)
        batch.push({
          _id: `${job._id}:${row}`,
          jobId: job._id,
          row,
          status: row % 600 === 0 ? 'error' : 'imported',
          orderNumber: `o${row}`,
        });
      // orders finish out of file order: the batch arrives shuffled
      batch.reverse();
      await store.appendRows(job._id, batch, { imported: 0, duplicate: 0, error: 0 }, undefined, lastRow);
      lastRow = Math.max(lastRow, ...batch.map((r) => r.row));
    }
    const expected = Array.from({ length: ROWS + 2 }, (_, r) => r).filter((r) => r >= 2 && r % 600 === 0);
    const stored = (await store.jobs.findOne({ _id: job._id }))!;
    expect(stored.lastRow).toBe(ROWS + 1);

    finds.length = 0;
    const listed: number[] = [];
    let after: number | undefined;
    for (;;) {
      const page = await store.listRows(stored, { status: 'error', limit: 50, ...(after !== undefined ? { afterRow: after } : {}) });
      listed.push(...page.map((r) => r.row));
      if (page.length < 50) break;
      after = page[page.length - 1]!.row;
    }
    expect(listed).toEqual(expected);
    expect(finds.length).toBeGreaterThan(0);
    for (const f of finds) expect(Object.keys(f.command.filter as object)).toEqual(['_id']);
    for (const f of finds) expect(typeof (f.command.filter as { _id: unknown })._id).toBe('string');

    const all = await store.listRows(stored, { afterRow: 1000, limit: 3 });
    expect(all.map((r) => [r.row, r.status])).toEqual([
      [1001, 'imported'],
      [1002, 'imported'],
      [1003, 'imported'],
    ]);
  });
});
