/**
 * What one read or update by `_id` costs the database by the size of the document, and what an update
 * that sets every field costs beside one that sets a few: database CPU per command (the server
 * process's own CPU, so only with a server this bench starts) and commands per second, 8 in flight.
 * The figures behind keeping an order's channel payload apart and setting only changed fields
 * (docs/architecture.md).
 *
 * DOCSIZE_DOCS (600) documents per size; about 2, 5 and 17 KB (printed as measured).
 */
import { BSON, MongoClient } from 'mongodb';
import { benchBackends } from './backends';
import { cpuSecondsOf } from './e2e-process-stats';
import { writeResults } from './results';

const DOCS = Number(process.env.DOCSIZE_DOCS ?? 600);
const SIZES_KB = [1, 4, 16];
const IN_FLIGHT = 8;
const FIELDS = 20;
const ENTRY = { text: 'an entry of about a hundred bytes', pad: 'x'.repeat(48) };

/** A document of about `kb` KB spread over FIELDS fields, as an order's positions, addresses and history are. */
const fieldsOf = (kb: number, variant: number) =>
  Object.fromEntries(
    Array.from({ length: FIELDS }, (_, f) => [
      `f${f}`,
      Array.from({ length: Math.max(1, Math.round((kb * 1024) / FIELDS / 100)) }, (_, k) => ({ ...ENTRY, k, variant })),
    ]),
  );

interface Row {
  kb: number;
  /** The document's BSON size. */
  bytes: number;
  operation: string;
  cpuMsPerCommand: number;
  perSecond: number;
}

async function main(): Promise<void> {
  const backends = await benchBackends();
  const pid = backends.pids.FerretDB;
  const client = await MongoClient.connect(backends.mongoUrl, { maxPoolSize: IN_FLIGHT });
  const db = client.db(`docsize_${Date.now()}`);
  const rows: Row[] = [];
  try {
    for (const kb of SIZES_KB) {
      const docs = db.collection<{ _id: string }>(`docs_${kb}`);
      const all = Array.from({ length: DOCS }, (_, i) => ({ _id: `d-${i}`, rev: 0, small: 0, ...fieldsOf(kb, 0) }));
      const bytes = BSON.calculateObjectSize(all[0] as object);
      await docs.insertMany(all);
      const measure = async (operation: string, command: (id: string, i: number) => Promise<unknown>) => {
        const ids = Array.from({ length: DOCS }, (_, i) => i);
        const [cpu0, t0] = [cpuSecondsOf(pid), Date.now()];
        await Promise.all(
          Array.from({ length: IN_FLIGHT }, async () => {
            for (let i = ids.shift(); i !== undefined; i = ids.shift()) await command(`d-${i}`, i);
          }),
        );
        const seconds = (Date.now() - t0) / 1000;
        rows.push({ kb, bytes, operation, cpuMsPerCommand: ((cpuSecondsOf(pid) - cpu0) / DOCS) * 1000, perSecond: DOCS / seconds });
      };
      const changed = fieldsOf(kb, 1);
      await measure('find by _id', (_id) => docs.findOne({ _id }));
      await measure('update by _id, $set of one field', (_id, i) => docs.updateOne({ _id }, { $set: { small: i } }));
      await measure('update by _id, $set of every field (as before)', (_id) => docs.updateOne({ _id }, { $set: changed }));
      await measure('insert of a 60-byte document (a claim)', (_id) =>
        db.collection(`claims_${kb}`).insertOne({ _id, at: new Date() } as never),
      );
    }
  } finally {
    await client.close();
    await backends.stop();
  }
  const cpuOf = (kb: number, op: string) => rows.find((r) => r.kb === kb && r.operation.startsWith(op))?.cpuMsPerCommand ?? NaN;
  const fmt = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const table: [string, string][] = [
    ['database', pid ? 'FerretDB (this bench’s own server; CPU of its process)' : 'given by MONGO_URL: CPU not measured'],
    ['documents per size, in flight', `${DOCS}, ${IN_FLIGHT}`],
    ...rows.map((r): [string, string] => [
      `${fmt(r.bytes / 1024, 1)} KB: ${r.operation}`,
      `${fmt(r.cpuMsPerCommand)} ms database CPU per command; ${fmt(r.perSecond, 0)}/s`,
    ]),
    ...SIZES_KB.map((kb): [string, string] => [
      `${fmt((rows.find((r) => r.kb === kb)?.bytes ?? NaN) / 1024, 1)} KB: every field set / one field set (CPU)`,
      fmt(cpuOf(kb, 'update by _id, $set of every') / cpuOf(kb, 'update by _id, $set of one')),
    ]),
    ['largest / smallest document: find (CPU)', fmt(cpuOf(16, 'find') / cpuOf(1, 'find'))],
  ];
  writeResults('document-size', { docs: DOCS, inFlight: IN_FLIGHT, rows }, table);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
