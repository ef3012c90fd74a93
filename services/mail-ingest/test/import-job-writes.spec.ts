import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsClient } from '@orderhub/platform';
import { buildJimdoCsvExport, generateJimdoOrder } from '../../../simulators/mail-sender/src';
import { CsvImportService } from '../src/csv/csv-import.service';
import type { ImportJob, ImportRowResult } from '../src/csv/import-job-store';
import { sniffFormat } from '../src/csv/row-source';
import type { OrderImporter } from '../src/processing/order-importer';

/**
 * FerretDB applies an update as read-modify-write: two updates of one document at the same time lose
 * one of them. A job's counters are `$inc`s on the job document while its lease is extended on the
 * same document, so the service must never have two writes to it in flight (a 200 000-row upload
 * reported 199 000 rows before). The store here is slow, so any overlap is caught.
 */
describe('an import job writes its job document one write at a time', () => {
  const dir = mkdtempSync(join(tmpdir(), 'job-writes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lease renewals wait for the counters of a batch (20 000 rows of one order, lease renewed every 250 ms)', async () => {
    const order = generateJimdoOrder({ seed: 7, locale: 'de', positions: 1 });
    const lines = buildJimdoCsvExport([order], { locale: 'de', separator: ';' }).toString('utf8').trimEnd().split('\r\n');
    const path = join(dir, 'one-order.csv');
    writeFileSync(path, [lines[0], ...Array.from({ length: 20_000 }, () => lines[1])].join('\r\n'));

    let inFlight = 0;
    let overlaps = 0;
    let leases = 0;
    let rows = 0;
    const write = async <T>(what: () => T): Promise<T> => {
      inFlight += 1;
      if (inFlight > 1) overlaps += 1;
      await new Promise((r) => setTimeout(r, 40));
      inFlight -= 1;
      return what();
    };
    let final: Partial<ImportJob> | undefined;
    let handedIn = 0; // stream sequence of the last order command handed in
    const jobs = {
      update: (_id: string, set: Partial<ImportJob>) => write(() => void (set.state ? (final = set) : undefined)),
      appendRows: (_id: string, batch: ImportRowResult[]) => write(() => void (rows += batch.length)),
      extendLease: () => write(() => void (leases += 1)),
    };
    const quiet = { warn: () => undefined, info: () => undefined, error: () => undefined, debug: () => undefined };
    const service = new CsvImportService(
      jobs as never,
      { has: async () => false } as never,
      { import: async () => ({ eventId: 'event-id', streamSeq: ++handedIn }) } satisfies Pick<OrderImporter, 'import'> as never,
      { csvRows: { inc: () => undefined } } as never,
      quiet as never,
      {
        IMPORT_CONCURRENCY: 4,
        IMPORT_JOB_LEASE_MS: 1000,
        IMPORT_MAX_CELL_CHARS: 1000,
        IMPORT_MAX_RECORD_CHARS: 1_000_000,
        IMPORT_MAX_ROWS_PER_ORDER: 1000,
      } as never,
      // The orders service's import consumer has stored every order handed in.
      { acknowledgedThrough: async () => handedIn } satisfies Pick<NatsClient, 'acknowledgedThrough'> as never,
    );
    await service.run(
      { _id: 'job-1', accountId: 'acc', connectionId: 'conn', skipDuplicates: true } as ImportJob,
      path,
      await sniffFormat(path),
    );

    expect({ state: final?.state, error: final?.error }).toEqual({ state: 'completed', error: undefined });
    expect(rows).toBe(20_000);
    expect(leases).toBeGreaterThan(0);
    expect(overlaps).toBe(0);
  }, 60_000);
});
