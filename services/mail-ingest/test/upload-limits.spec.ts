import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/nats-core';
import { freePort, isolate, ServiceProcess, waitFor } from '@orderhub/testkit';
import { buildJimdoCsvExport, generateJimdoOrder } from '../../../simulators/mail-sender/src';
import { serveConnections, storeImports } from './support';
import { hugeCellBomb, sharedStringsBomb } from '@orderhub/testkit';

const CONN = 'limits1';
const ACCOUNT = 'acc-limits';
const MB = 2 ** 20;

/** The NODE_OPTIONS mail-ingest is deployed with (heap 160 MB): memory is judged under them. */
const deployedNodeOptions = /^NODE_OPTIONS=(.*)$/m.exec(
  readFileSync(join(__dirname, '../../../k8s/base/mail-ingest/config.env'), 'utf8'),
)![1]!;

interface Job {
  jobId: string;
  state: string;
  error?: string;
  rows: { imported: number; duplicate: number; error: number };
  orders: { imported: number; duplicate: number; error: number };
  errors: { row: number; orderNumber?: string; reason: string }[];
}

describe('one upload cannot exhaust mail-ingest (issue 16)', () => {
  const iso = isolate('maillimits');
  let service: ServiceProcess;
  let stopStoring: (() => Promise<void>) | undefined;
  let peer: NatsConnection;

  /** Peak resident memory of the service process so far (VmHWM). */
  const peakRssMB = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${service.pid}/status`, 'utf8'))![1]) / 1024;
  const upload = (body: Buffer, name: string) => {
    const form = new FormData();
    // The test's buffers are never shared; the DOM lib (for tests/web) types Blob parts as ArrayBuffer-backed.
    form.append('file', new Blob([body as Buffer<ArrayBuffer>]), name);
    return fetch(`${service.url}/imports/csv?connectionId=${CONN}`, { method: 'POST', body: form, headers: { 'X-Account-Id': ACCOUNT } });
  };
  const finished = (jobId: string): Promise<Job> =>
    waitFor(
      async () => {
        const job = (await (await fetch(`${service.url}/imports/${jobId}`, { headers: { 'X-Account-Id': ACCOUNT } })).json()) as Job;
        return job.state !== 'running' ? job : undefined;
      },
      { what: `job ${jobId}`, timeoutMs: 120_000 },
    );
  const run = async (body: Buffer, name: string) => {
    const res = await upload(body, name);
    expect(res.status).toBe(202);
    return finished(((await res.json()) as { jobId: string }).jobId);
  };

  beforeAll(async () => {
    peer = await serveConnections(iso.natsUrl, iso.natsPrefix, [{ id: CONN, accountId: ACCOUNT, forwardTo: 'm@shop.example' }]);
    service = await ServiceProcess.start('services/mail-ingest', {
      MONGO_URL: iso.mongoUrl,
      NATS_URL: iso.natsUrl,
      NATS_PREFIX: iso.natsPrefix,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(await freePort()),
      FORWARD_ENABLED: 'false',
      NODE_OPTIONS: deployedNodeOptions,
      // a lease renewed every 250 ms writes to the job document while its counters are being added to
      IMPORT_JOB_LEASE_MS: '1000',
    });
    stopStoring = await storeImports(peer, iso.natsPrefix);
  });

  afterAll(async () => {
    await service?.stop();
    await stopStoring?.();
    await peer?.close();
  });

  afterEach(() => {
    expect(peakRssMB()).toBeLessThan(250);
  });

  it('an xlsx declaring ~1 GB of shared strings (1 MB upload) is refused at upload with 422 and the reason', async () => {
    const bomb = sharedStringsBomb(1000, 'real');
    expect(bomb.length).toBeLessThan(3 * MB);
    const res = await upload(bomb, 'bomb.xlsx');
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { detail: string }).detail).toMatch(/shared strings expand/);
  });

  it('an xlsx hiding ~1 GB of shared strings or a ~1 GB cell behind small declared sizes ends in a failed job naming the cause', async () => {
    const strings = await run(sharedStringsBomb(1000, 'tiny'), 'bomb.xlsx');
    expect(strings).toMatchObject({ state: 'failed', error: expect.stringMatching(/workbook/) });
    const cell = await run(hugeCellBomb(1000, 'tiny'), 'cell.xlsx');
    expect(cell).toMatchObject({ state: 'failed', error: expect.stringMatching(/workbook/) });
    const honestCell = await run(hugeCellBomb(200, 'real'), 'cell.xlsx');
    expect(honestCell).toMatchObject({ state: 'failed', error: expect.stringMatching(/longer than \d+ characters/) });
  });

  it('JIM-5: one order number on 20 000 rows is one order error (row limit per order), every row reported, memory bounded', async () => {
    const order = generateJimdoOrder({ seed: 7, locale: 'de', positions: 1 });
    const lines = buildJimdoCsvExport([order], { locale: 'de', separator: ';' }).toString('utf8').trimEnd().split('\r\n');
    const body = Buffer.from([lines[0], ...Array.from({ length: 20_000 }, () => lines[1])].join('\r\n'));
    const job = await run(body, 'huge-order.csv');
    expect(job).toMatchObject({
      state: 'completed',
      rowsProcessed: 20_000,
      orders: { imported: 0, error: 1 },
      rows: { imported: 0, error: 20_000 },
    });
    expect(job.errors[0]!.reason).toMatch(/more than 1000 rows/);
  });

  it('JIM-5: a cell over 1 000 characters gives the row a warning instead of a silent cut', async () => {
    const order = generateJimdoOrder({ seed: 8, locale: 'de', positions: 1 });
    const lines = buildJimdoCsvExport([order], { locale: 'de', separator: ';' }).toString('utf8').trimEnd().split('\r\n');
    const cells = lines[1]!.split(';');
    cells[4] = 'L'.repeat(1500); // Artikel
    const job = await run(Buffer.from([lines[0], cells.join(';')].join('\r\n')), 'long.csv');
    expect(job).toMatchObject({ state: 'completed', orders: { imported: 1 } });
    const rows = (await (await fetch(`${service.url}/imports/${job.jobId}/rows`, { headers: { 'X-Account-Id': ACCOUNT } })).json()) as {
      items: { row: number; status: string; warning?: string }[];
    };
    expect(rows.items).toEqual([expect.objectContaining({ row: 2, status: 'imported', warning: expect.stringContaining('Artikel') })]);
  });
});
