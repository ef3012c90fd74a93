import type { NatsConnection } from '@nats-io/nats-core';
import { freePort, isolate, type LocalServer, ServiceProcess, spawnFerretDb, testBackends, waitFor } from '@orderhub/testkit';
import { serveConnections } from './support';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * mail-ingest runs the shared wedge watch of libs/platform (MongoModule stuckAfterMs): after a
 * database pause (SIGSTOP: connections stay open, nothing answers) under requests, its own pool works
 * off the backlog and liveness answers 200 again instead of staying "stuck" (issue 15).
 */
describe('mail-ingest: liveness after a database pause (real FerretDB, paused and resumed)', () => {
  let db: LocalServer;
  let service: ServiceProcess;
  let peer: NatsConnection;

  beforeAll(async () => {
    db = await spawnFerretDb();
    const iso = isolate('maillive', { mongoUrl: db.url, natsUrl: testBackends().natsUrl });
    peer = await serveConnections(iso.natsUrl, iso.natsPrefix, [{ id: 'live1', accountId: 'acc-live', forwardTo: 'm@shop.example' }]);
    service = await ServiceProcess.start('services/mail-ingest', {
      MONGO_URL: iso.mongoUrl,
      NATS_URL: iso.natsUrl,
      NATS_PREFIX: iso.natsPrefix,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(await freePort()),
      FORWARD_ENABLED: 'false',
      MONGO_STUCK_AFTER_MS: '1000',
      MONGO_MAX_POOL_SIZE: '1',
    });
  }, 60_000);

  afterAll(async () => {
    if (db?.pid) process.kill(db.pid, 'SIGCONT');
    await service?.stop();
    await peer?.close();
    await db?.destroy();
  });

  const live = async () => (await fetch(`${service.url}/health/live`)).status;
  const readJob = () =>
    fetch(`${service.url}/imports/no-such-job`, { headers: { 'X-Account-Id': 'acc-live' }, signal: AbortSignal.timeout(2_000) })
      .then((r) => r.status)
      .catch(() => 0);

  it('liveness recovers when the database answers again after a pause', async () => {
    expect(await live()).toBe(200);
    process.kill(db.pid as number, 'SIGSTOP');
    const calls: Promise<number>[] = [];
    for (let i = 0; i < 20; i++) {
      calls.push(readJob());
      await sleep(500);
    }
    process.kill(db.pid as number, 'SIGCONT');
    await Promise.all(calls);
    await waitFor(async () => ((await readJob()) === 404 ? true : undefined), {
      what: 'mail-ingest reading its database again',
      timeoutMs: 60_000,
      intervalMs: 1_000,
    });
    await waitFor(async () => (await live()) === 200, { what: '/health/live 200 after the pause', timeoutMs: 60_000, intervalMs: 500 });
    expect(await (await fetch(`${service.url}/health/live`)).json()).toEqual({ status: 'ok' });
  });
});
