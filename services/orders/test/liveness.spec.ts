import { type AccountCreated, Rpc } from '@orderhub/contracts';
import { isolate, type LocalServer, type ServiceProcess, spawnFerretDb, testBackends, waitFor } from '@orderhub/testkit';
import { Hub, sleep, startOrders } from './orders-harness';

/**
 * A database pause (the process stopped with SIGSTOP: connections stay open, nothing answers) while
 * requests keep coming. Afterwards the service's own pool drains its backlog while a fresh client
 * already gets answers: that is not a wedged driver, and liveness must not stay failed.
 */
describe('orders: liveness after a database pause (real FerretDB, paused and resumed)', () => {
  let db: LocalServer;
  let service: ServiceProcess;
  let hub: Hub;

  beforeAll(async () => {
    db = await spawnFerretDb();
    const iso = isolate('ordlive', { mongoUrl: db.url, natsUrl: testBackends().natsUrl });
    service = await startOrders(iso, { MONGO_STUCK_AFTER_MS: '1000', MONGO_MAX_POOL_SIZE: '1' });
    hub = await Hub.connect(iso);
  }, 60_000);

  afterAll(async () => {
    if (db?.pid) process.kill(db.pid, 'SIGCONT');
    await hub?.close();
    await service?.stop();
    await db?.destroy();
  });

  const live = async () => (await fetch(`${service.url}/health/live`)).status;

  it('liveness recovers when the database answers again after a pause (stuck is cleared once the own connection works)', async () => {
    const account = await hub.call<AccountCreated>(Rpc.accountsCreate, { name: 'Pause GmbH' });
    expect(await live()).toBe(200);
    process.kill(db.pid as number, 'SIGSTOP');
    // Requests pile up behind the paused database (they time out for the caller, not for the pool).
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      calls.push(
        hub.call(Rpc.ordersList, { accountId: account.accountId, actor: 'api-key:test', body: { limit: 1 } }, 2_000).catch(() => 0),
      );
      await sleep(500);
    }
    process.kill(db.pid as number, 'SIGCONT');
    await Promise.all(calls);
    await waitFor(
      () => hub.call(Rpc.ordersList, { accountId: account.accountId, actor: 'api-key:test', body: { limit: 1 } }, 3_000).then(() => true),
      {
        what: 'orders answering after the pause',
        timeoutMs: 60_000,
        intervalMs: 1_000,
      },
    );
    await waitFor(async () => (await live()) === 200, { what: '/health/live 200 after the pause', timeoutMs: 60_000, intervalMs: 500 });
    const body = (await (await fetch(`${service.url}/health/live`)).json()) as Record<string, unknown>;
    expect(body).toEqual({ status: 'ok' });
  });
});
