import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/nats-core';
import { MongoClient } from 'mongodb';
import { freePort, isolate, ServiceProcess, waitFor } from '@orderhub/testkit';
import { buildJimdoCsvExport, generateJimdoOrder } from '../../../simulators/mail-sender/src';
import { serveConnections, storeImports } from './support';

const CONN = 'restart1';
const ACCOUNT = 'acc-restart';

describe('an import job interrupted by a restart (issue 15)', () => {
  const iso = isolate('mailrestart');
  const spool = mkdtempSync(join(tmpdir(), 'mail-spool-'));
  let service: ServiceProcess;
  let stopStoring: (() => Promise<void>) | undefined;
  let peer: NatsConnection;

  beforeAll(async () => {
    peer = await serveConnections(iso.natsUrl, iso.natsPrefix, [{ id: CONN, accountId: ACCOUNT, forwardTo: 'm@shop.example' }]);
    service = await ServiceProcess.start('services/mail-ingest', {
      MONGO_URL: iso.mongoUrl,
      NATS_URL: iso.natsUrl,
      NATS_PREFIX: iso.natsPrefix,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(await freePort()),
      FORWARD_ENABLED: 'false',
      IMPORT_SPOOL_DIR: spool,
      IMPORT_CONCURRENCY: '1',
      IMPORT_JOB_LEASE_MS: '3000',
      IMPORT_JOB_SWEEP_MS: '1000',
    });
  });

  afterAll(async () => {
    await service?.stop();
    await stopStoring?.();
    await peer?.close();
    rmSync(spool, { recursive: true, force: true });
  });

  /** Uploads a Jimdo CSV export of `count` one-position orders; the job's id. */
  const upload = async (count: number, seed: number): Promise<string> => {
    const orders = Array.from({ length: count }, (_, i) => generateJimdoOrder({ seed: seed + i, locale: 'de', positions: 1 }));
    const form = new FormData();
    // Buffer.concat's bytes, never shared: typed so, as Blob parts (DOM types, for tests/web) must be.
    const file = buildJimdoCsvExport(orders, { locale: 'de', separator: ';' }) as Buffer<ArrayBuffer>;
    form.append('file', new Blob([file]), 'export.csv');
    const res = await fetch(`${service.url}/imports/csv?connectionId=${CONN}`, {
      method: 'POST',
      body: form,
      headers: { 'X-Account-Id': ACCOUNT },
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { jobId: string }).jobId;
  };
  const jobView = async (jobId: string) =>
    (await (await fetch(`${service.url}/imports/${jobId}`, { headers: { 'X-Account-Id': ACCOUNT } })).json()) as {
      state: string;
      rowsProcessed: number;
      error?: string;
    };

  it('a job whose orders were all handed in when its process was killed completes once the orders service has stored them', async () => {
    // Nothing is stored yet (the orders service is busy): the job waits with every row read.
    const jobId = await upload(3, 8000);
    await waitFor(async () => (await jobView(jobId)).rowsProcessed === 3 || undefined, { what: 'every row read' });
    const stored = await MongoClient.connect(iso.mongoUrl).then(async (client) => {
      try {
        return await waitFor(
          async () => {
            const job = await client
              .db()
              .collection('import_jobs')
              .findOne({ _id: jobId as never });
            return job?.handedInThrough ? job : undefined;
          },
          { what: 'the job waiting for its orders to be stored' },
        );
      } finally {
        await client.close();
      }
    });
    expect(stored.state).toBe('running');

    await service.stop('SIGKILL');
    await service.launch();
    // A sweep after the job's lease ran out removes its spool file, right after it looked at abandoned
    // jobs: this one must go on waiting for its orders instead of failing.
    await waitFor(async () => (readdirSync(spool).length === 0 ? true : undefined), { what: 'a sweep past the lease', timeoutMs: 30_000 });
    expect((await jobView(jobId)).state).toBe('running');
    stopStoring = await storeImports(peer, iso.natsPrefix);
    const job = await waitFor(
      async () => {
        const view = await jobView(jobId);
        return view.state !== 'running' ? view : undefined;
      },
      { what: 'the job to end', timeoutMs: 30_000 },
    );
    expect(job.state).toBe('completed');
  });

  it('JIM-5: a job whose process was killed is failed with the reason after a quick restart, and its spool file is removed', async () => {
    const jobId = await upload(3000, 9000);
    expect(readdirSync(spool)).toEqual([`${jobId}.upload`]);

    await service.stop('SIGKILL'); // mid-import: 3000 orders one at a time take far longer than this
    await service.launch();

    const job = await waitFor(
      async () => {
        const view = await jobView(jobId);
        return view.state !== 'running' ? view : undefined;
      },
      { what: 'the interrupted job to end', timeoutMs: 60_000 },
    );
    expect(job).toMatchObject({ state: 'failed', error: expect.stringContaining('interrupted') });
    await waitFor(async () => (readdirSync(spool).length === 0 ? true : undefined), {
      what: 'the spool file to be removed',
      timeoutMs: 30_000,
    });
  });
});
