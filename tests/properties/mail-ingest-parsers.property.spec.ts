import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ZodError } from 'zod';
import { type ChannelOrder, ChannelOrderSchema } from '@orderhub/contracts';
import type { NatsClient } from '@orderhub/platform';
import { buildJimdoCsvExport, buildJimdoOrderMail, generateJimdoOrder } from '../../simulators/mail-sender/src';
import { CsvImportService } from '../../services/mail-ingest/src/csv/csv-import.service';
import type { ImportJob, ImportRowResult } from '../../services/mail-ingest/src/csv/import-job-store';
import { sniffFormat } from '../../services/mail-ingest/src/csv/row-source';
import { JimdoMailParser } from '../../services/mail-ingest/src/jimdo/jimdo-mail-parser';
import { toChannelOrder } from '../../services/mail-ingest/src/jimdo/order-draft';
import { extractMailText } from '../../services/mail-ingest/src/processing/mail-text';
import type { OrderImporter } from '../../services/mail-ingest/src/processing/order-importer';
import { fcParams } from './support';

/** A byte-level edit of a good input: what a mangling MTA, an editor or a truncated upload does. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc
        .constantFrom(';', '"', '\n', '\r\n', ',', '\t', '=', '=\r\n', '\u0000', '€', '\uFFFD', 'Bestellnummer: ', 'Menge | 1', ';;;;;;')
        .map((s) => Buffer.from(s)),
    ),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 400 }) }),
);
type Edit = typeof edit extends fc.Arbitrary<infer E> ? E : never;

function applyEdits(input: Buffer, edits: Edit[]): Buffer {
  let buf = input;
  for (const e of edits) {
    const at = buf.length ? e.at % (buf.length + 1) : 0;
    if (e.kind === 'delete') buf = Buffer.concat([buf.subarray(0, at), buf.subarray(at + e.len)]);
    else if (e.kind === 'insert') buf = Buffer.concat([buf.subarray(0, at), Buffer.from(e.bytes), buf.subarray(at)]);
    else if (e.kind === 'truncate') buf = buf.subarray(0, at);
    else buf = Buffer.concat([buf.subarray(0, at + e.len), buf.subarray(at)]);
  }
  return buf;
}

describe('property: Jimdo order mail parser (services/mail-ingest/src/jimdo)', () => {
  const parser = new JimdoMailParser();
  const variants = [
    buildJimdoOrderMail({ seed: 1, form: 'text' }).raw,
    buildJimdoOrderMail({ seed: 2, form: 'html', charset: 'iso-8859-1' }).raw,
    buildJimdoOrderMail({ seed: 3, form: 'multipart', forward: 'outlook', transferEncoding: 'base64' }).raw,
    buildJimdoOrderMail({ seed: 4, shopKind: 'dolphin', locale: 'en', forward: 'attachment' }).raw,
  ];

  /** What the mail worker does with a stored mail, minus the store: text → parse → ChannelOrder. */
  async function outcome(raw: Buffer): Promise<string> {
    const text = await extractMailText(raw); // must not throw: the worker would count it as an infrastructure error and retry 10x
    const result = parser.parse(text.subject, text.text);
    if (result.kind !== 'order') {
      expect(typeof result.reason).toBe('string');
      expect(result.reason.length).toBeGreaterThan(0);
      return result.kind;
    }
    try {
      const order: ChannelOrder = toChannelOrder(result.draft);
      expect(ChannelOrderSchema.safeParse(order).success).toBe(true);
      return 'order';
    } catch (err) {
      expect(err).toBeInstanceOf(ZodError); // parked with "order is not valid: …"
      return 'invalid-order';
    }
  }

  it('random bytes never crash it: they are "not an order" or "unparsable" with a reason', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4000 }), async (bytes) => {
        expect(['not-an-order', 'unparsable', 'order', 'invalid-order']).toContain(await outcome(Buffer.from(bytes)));
      }),
      fcParams('mail random bytes', 150),
    );
  });

  it('mutated real order mails (deleted, inserted, truncated, duplicated bytes) either parse or give a reason', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: variants.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 6 }), async (v, edits) => {
        const kind = await outcome(applyEdits(variants[v]!, edits));
        seen.set(kind, (seen.get(kind) ?? 0) + 1);
      }),
      fcParams('mail mutated', 150),
    );
    process.stdout.write(`mutated mails: ${JSON.stringify(Object.fromEntries(seen))}\n`);
  });
});

describe('property: Jimdo CSV/XLSX export import (services/mail-ingest/src/csv)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orderhub-csv-prop-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const good = buildJimdoCsvExport(
    [1, 2, 3].map((seed) => generateJimdoOrder({ seed, positions: 2 })),
    { locale: 'de', encoding: 'utf-8-bom', separator: ';' },
  );
  const goodEn = buildJimdoCsvExport(
    [4, 5].map((seed) => generateJimdoOrder({ seed, locale: 'en' })),
    { locale: 'en', encoding: 'windows-1252', separator: ',' },
  );
  let n = 0;

  /** The real service with in-memory stand-ins for its job store, ledger and NATS hand-in. */
  async function runImport(bytes: Buffer) {
    let handedIn = 0; // stream sequence of the last order command handed in
    const path = join(dir, `upload-${n++}`);
    writeFileSync(path, bytes);
    const job = { _id: `job-${n}`, accountId: 'acc', connectionId: 'conn', skipDuplicates: true } as ImportJob;
    const state: { final?: Partial<ImportJob>; rows: ImportRowResult[]; orders: ChannelOrder[] } = { rows: [], orders: [] };
    const jobs = {
      update: async (_id: string, set: Partial<ImportJob>) => void (set.state ? (state.final = set) : undefined),
      appendRows: async (_id: string, rows: ImportRowResult[]) => void state.rows.push(...rows),
      extendLease: async () => undefined,
    };
    const importer = {
      import: async (input: { order: ChannelOrder }) => {
        state.orders.push(input.order);
        return { eventId: 'event-id', streamSeq: ++handedIn };
      },
    } satisfies Pick<OrderImporter, 'import'>;
    // The orders service's import consumer has stored every order handed in.
    const stored = { acknowledgedThrough: async () => handedIn } satisfies Pick<NatsClient, 'acknowledgedThrough'>;
    const quiet = { warn: () => undefined, info: () => undefined, error: () => undefined, debug: () => undefined };
    const service = new CsvImportService(
      jobs as never,
      { has: async () => false } as never,
      importer as never,
      { csvRows: { inc: () => undefined } } as never,
      quiet as never,
      { IMPORT_CONCURRENCY: 4, IMPORT_JOB_LEASE_MS: 60_000, IMPORT_MAX_CELL_CHARS: 1000, IMPORT_MAX_ROWS_PER_ORDER: 1000 } as never,
      stored as never,
    );
    await service.run(job, path, await sniffFormat(path)); // never throws: the job records the outcome
    return state;
  }

  function checkOutcome(state: Awaited<ReturnType<typeof runImport>>) {
    expect(['completed', 'failed']).toContain(state.final?.state);
    if (state.final?.state === 'failed') expect(String(state.final.error ?? '')).not.toBe('');
    for (const r of state.rows.filter((r) => r.status === 'error')) expect(r.reason).toBeTruthy();
    for (const o of state.orders) expect(ChannelOrderSchema.safeParse(o).success).toBe(true);
  }

  it('the untouched exports import completely (the oracle for the mutations below)', async () => {
    const de = await runImport(good);
    expect(de.final?.state).toBe('completed');
    expect(de.orders).toHaveLength(3);
    const en = await runImport(goodEn);
    expect(en.orders).toHaveLength(2);
  });

  it('random bytes (also behind a zip/xlsx signature) end as a failed or completed job with reasons, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.uint8Array({ maxLength: 3000 }), async (zip, bytes) => {
        const body = zip ? Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(bytes)]) : Buffer.from(bytes);
        checkOutcome(await runImport(body));
      }),
      fcParams('csv random bytes', 100),
    );
  });

  it('mutated exports either import the intact orders or report each broken row with a reason', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(edit, { minLength: 1, maxLength: 6 }), async (en, edits) => {
        checkOutcome(await runImport(applyEdits(en ? goodEn : good, edits)));
      }),
      fcParams('csv mutated', 150),
    );
  });
});
