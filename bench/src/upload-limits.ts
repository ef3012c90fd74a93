/**
 * Issue 16's hostile uploads at full size, through the gateway into mail-ingest running with its
 * deployed NODE_OPTIONS: a ~70 MB CSV repeating one order number 200 000 times, a CSV of 200 000
 * distinct rows, and 1–3 MB xlsx bombs (shared strings or one cell expanding to ~1 GB, with real or
 * understated sizes in the zip). mail-ingest's peak RSS is read from the kernel (VmHWM, reset
 * before each case through /proc/<pid>/clear_refs, so a spike between two samples still counts)
 * and must stay under 250 MB in every case. Results: bench/results/upload-limits.{json,md} and the
 * upload section of reliability.md. UPLOAD_ROWS (200000) and UPLOAD_TIMEOUT_SECONDS (3600) scale it.
 */
import { once } from 'node:events';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AccountCreated, type ConnectionView, Rpc } from '@orderhub/contracts';
import { hugeCellBomb, RunningSystem, sharedStringsBomb } from '@orderhub/testkit';
import { benchBackends, deployedNodeOptions } from './backends';
import { writeJimdoExport, writeRepeatedOrderExport } from './csv-export-file';
import { replaceReliabilitySection } from './reliability-sections';
import { writeResults } from './results';
import { fmt } from './stats';

const ROWS = Number(process.env.UPLOAD_ROWS ?? 200_000);
/** `repeated`, `distinct`, `xlsx` (comma-separated); all when unset. A partial run keeps its own section in reliability.md. */
const ONLY = process.env.UPLOAD_CASES?.split(',').map((c) => c.trim());
const wanted = (kind: 'repeated' | 'distinct' | 'xlsx') => !ONLY || ONLY.includes(kind);
const TIMEOUT_SECONDS = Number(process.env.UPLOAD_TIMEOUT_SECONDS ?? 3600);
const TARGET_RSS_MB = 250;
const MB = 2 ** 20;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const log = (s: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] upload-limits: ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const refusedPolls: string[] = [];

interface Case {
  name: string;
  file: string;
  bytes: number;
  type: string;
}

interface CaseResult {
  name: string;
  fileMB: number;
  uploadStatus: number;
  outcome: string;
  seconds: number;
  mailIngestPeakRssMB: number;
}

/** The kernel's peak RSS of a process since its last reset; the reset needs the process to be ours. */
const peakRssMB = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const resetPeak = (pid: number) => writeFileSync(`/proc/${pid}/clear_refs`, '5');

async function upload(gatewayUrl: string, apiKey: string, c: Case, connectionId: string): Promise<{ status: number; body: any }> {
  const url = new URL(`${gatewayUrl}/api/v1/imports/csv?connectionId=${encodeURIComponent(connectionId)}`);
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': c.type, 'content-length': String(c.bytes) };
  const req = request(url, { method: 'POST', headers });
  createReadStream(c.file)
    .on('error', (err) => req.destroy(err))
    .pipe(req);
  const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage];
  let text = '';
  for await (const chunk of res) text += String(chunk);
  return { status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined };
}

async function finished(gatewayUrl: string, apiKey: string, jobId: string, started: number): Promise<any> {
  let last = Date.now();
  for (;;) {
    const res = await fetch(`${gatewayUrl}/api/v1/imports/${jobId}`, { headers: { authorization: `Bearer ${apiKey}` } });
    const job = (await res.json()) as any;
    if (res.status !== 200) {
      // a refused poll is a finding to record, not the job's end
      refusedPolls.push(`${res.status} ${String(job.detail ?? job.title ?? '').slice(0, 100)}`);
      await sleep(2000);
      continue;
    }
    if (job.state !== 'running') return job;
    if (Date.now() - started > TIMEOUT_SECONDS * 1000) return { ...job, state: `still running after ${TIMEOUT_SECONDS} s` };
    if (Date.now() - last > 30_000) {
      last = Date.now();
      log(`  ${job.rowsProcessed} rows processed after ${fmt((Date.now() - started) / 1000, 0)} s`);
    }
    await sleep(1000);
  }
}

const describeJob = (job: any) =>
  job.state === 'completed'
    ? `completed: ${job.rowsProcessed} rows processed, rows ${job.rows.imported}/${job.rows.duplicate}/${job.rows.error}, orders ${job.orders.imported}/${job.orders.duplicate}/${job.orders.error} (imported/duplicate/error)${job.errors?.[0] ? `; first error: ${String(job.errors[0].reason).slice(0, 80)}` : ''}`
    : `${job.state}: ${String(job.error ?? '').slice(0, 120)}`;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'orderhub-upload-limits-'));
  const backends = await benchBackends();
  let system: RunningSystem | undefined;
  try {
    const cases: Case[] = [];
    const repeated = join(dir, 'one-order-repeated.csv');
    // padded to the sizes in the issue (~70 MB and ~68 MB at 200 000 rows)
    if (wanted('repeated')) {
      const r = await writeRepeatedOrderExport(repeated, ROWS, { padNames: 110 });
      cases.push({ name: `one order number on ${ROWS} rows (CSV)`, file: repeated, bytes: r.bytes, type: 'text/csv; charset=utf-8' });
    }
    const distinct = join(dir, 'distinct.csv');
    if (wanted('distinct')) {
      const d = await writeJimdoExport(distinct, ROWS, { padNames: 58 });
      cases.push({
        name: `${d.rows} distinct rows, ${d.orders} orders (CSV)`,
        file: distinct,
        bytes: d.bytes,
        type: 'text/csv; charset=utf-8',
      });
    }
    const bombs: [string, Buffer][] = [
      ['xlsx: ~1 GB shared strings, sizes declared', sharedStringsBomb(1000, 'real')],
      ['xlsx: ~1 GB shared strings, sizes understated', sharedStringsBomb(1000, 'tiny')],
      ['xlsx: one ~1 GB cell, sizes understated', hugeCellBomb(1000, 'tiny')],
      ['xlsx: one ~200 MB cell, sizes declared', hugeCellBomb(200, 'real')],
    ];
    for (const [i, [name, bytes]] of wanted('xlsx') ? bombs.entries() : []) {
      const file = join(dir, `bomb-${i}.xlsx`);
      writeFileSync(file, bytes);
      cases.push({ name, file, bytes: bytes.length, type: XLSX });
    }
    log(`files written: ${cases.map((c) => `${c.name} ${fmt(c.bytes / MB)} MB`).join('; ')}`);
    system = await RunningSystem.start('uploadlimits', {
      backends,
      services: ['orders', 'mail-ingest', 'gateway'],
      simulators: [],
      env: {
        orders: { ...deployedNodeOptions('orders'), LOG_LEVEL: 'warn' },
        gateway: { ...deployedNodeOptions('gateway'), LOG_LEVEL: 'warn' },
        'mail-ingest': { ...deployedNodeOptions('mail-ingest'), FORWARD_ENABLED: 'false', LOG_LEVEL: 'warn' },
      },
    });
    await run(system, cases);
  } finally {
    await system?.stop();
    await backends.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function run(system: RunningSystem, cases: Case[]): Promise<void> {
  const account = await system.rpc.call<AccountCreated>(Rpc.accountsCreate, { name: 'Upload Limits GmbH' });
  const connection = await system.rpc.call<ConnectionView>(Rpc.connectionsCreate, {
    accountId: account.accountId,
    actor: 'api-key:bench-upload-limits',
    body: { type: 'jimdo', settings: { name: 'Jimdo export', forwardTo: 'merchant@upload.example' }, secrets: {} },
  });
  const gatewayUrl = system.service('gateway').url;
  const mailIngest = system.service('mail-ingest');
  const pid = mailIngest.pid!;
  const idleRssMB = peakRssMB(pid);
  const results: CaseResult[] = [];
  for (const c of cases) {
    // small bombs first would hide nothing; each case starts from a reset peak either way
    resetPeak(pid);
    log(`${c.name}: uploading ${fmt(c.bytes / MB)} MB`);
    const started = Date.now();
    const res = await upload(gatewayUrl, account.apiKey, c, connection.id);
    let outcome: string;
    if (res.status === 202) outcome = describeJob(await finished(gatewayUrl, account.apiKey, res.body.jobId, started));
    else outcome = `refused ${res.status}: ${String(res.body?.detail ?? res.body?.title ?? '').slice(0, 120)}`;
    const result: CaseResult = {
      name: c.name,
      fileMB: c.bytes / MB,
      uploadStatus: res.status,
      outcome,
      seconds: (Date.now() - started) / 1000,
      mailIngestPeakRssMB: peakRssMB(pid),
    };
    results.push(result);
    log(`  → ${outcome}; mail-ingest peak RSS ${fmt(result.mailIngestPeakRssMB)} MB in ${fmt(result.seconds)} s`);
    if (!mailIngest.running) throw new Error(`mail-ingest died during: ${c.name}`);
  }
  const worst = Math.max(...results.map((r) => r.mailIngestPeakRssMB));
  const verdict = `${worst < TARGET_RSS_MB && mailIngest.running ? 'met' : 'MISSED'} (worst ${fmt(worst)} MB, mail-ingest still running: ${mailIngest.running})`;
  const table: [string, string][] = [
    ['mail-ingest NODE_OPTIONS', deployedNodeOptions('mail-ingest').NODE_OPTIONS ?? ''],
    ['mail-ingest RSS before the first upload MB', fmt(idleRssMB)],
    ...results.map((r): [string, string] => [
      `${r.name}, ${fmt(r.fileMB)} MB`,
      `peak RSS ${fmt(r.mailIngestPeakRssMB)} MB; ${fmt(r.seconds)} s; ${r.outcome.replaceAll('|', '/')}`,
    ]),
    [
      'job polls refused (GET /imports/{jobId} not 200)',
      refusedPolls.length ? `${refusedPolls.length}: ${[...new Set(refusedPolls)].slice(0, 3).join('; ')}` : 'none',
    ],
    [`target: mail-ingest peak RSS < ${TARGET_RSS_MB} MB in every case`, verdict],
  ];
  const name = ONLY ? `upload-limits-${ONLY.join('-')}` : 'upload-limits';
  writeResults(name, { rows: ROWS, idleRssMB, results, verdict }, table);
  const title = `Hostile uploads (\`${ONLY ? `UPLOAD_CASES=${ONLY.join(',')} ` : ''}npm run -w @orderhub/bench upload-limits\`)`;
  replaceReliabilitySection(name, title, table);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
