import type { AccountCreated, ConnectionHealth, ConnectionView } from '@orderhub/contracts';
import { ConnectorHealth, ConnectorTriggers, Rpc } from '@orderhub/contracts';
import type { TestIsolation } from '@orderhub/testkit';
import {
  connectorEnv,
  Hub,
  isolate,
  ORDERS_WORKSPACE,
  ordersEnv,
  ServiceProcess,
  shopOrder,
  uid,
  waitFor,
  WEMALO_TOKEN,
  WebhookForwarder,
  wemaloConnection,
  WemaloSim,
} from './harness';

/**
 * fulfillment-wemalo on the connector runtime with two replicas: "sync now" reaches the replica that
 * holds the connection's lease, and a goods order refused with 401 (a rotated API token) waits,
 * visible on the order and the connection, and is sent exactly once when the token works again.
 */
describe('fulfillment-wemalo on the connector runtime, two replicas', () => {
  let iso: TestIsolation;
  let wemalo: WemaloSim;
  let forwarder: WebhookForwarder;
  let orders: ServiceProcess;
  let replicas: ServiceProcess[] = [];
  let hub: Hub;
  let account: AccountCreated;
  let shop: ConnectionView;

  beforeAll(async () => {
    iso = isolate('wemrt');
    wemalo = await WemaloSim.start();
    forwarder = await WebhookForwarder.start();
    orders = await ServiceProcess.start(ORDERS_WORKSPACE, ordersEnv(iso));
    hub = await Hub.connect(iso);
    account = await hub.createAccount('Wemalo two replicas');
    shop = await hub.createConnection(account.accountId, {
      type: 'jimdo',
      settings: { name: 'Shop', forwardTo: 'm@example.org' },
      secrets: {},
    });
    replicas = await Promise.all(
      ['wem-replica-a', 'wem-replica-b'].map((id) =>
        ServiceProcess.start('services/fulfillment-wemalo', connectorEnv(iso, forwarder.url, { REPLICA_ID: id })),
      ),
    );
    forwarder.target = replicas[0]!.url;
    // Both heartbeat, and each has re-read the replica list since (every LEASE_TTL_MS / 6).
    await waitFor(async () => (await hub.connectorKeys('wemalo', 'replica.*')).length >= 2, { what: 'two live replicas' });
    await new Promise((r) => setTimeout(r, 1_000));
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await orders?.stop();
    await hub?.close();
    await forwarder?.close();
    await wemalo?.close();
  });

  const health = async (connectionId: string): Promise<ConnectionHealth | undefined> =>
    (await hub.call<ConnectionHealth[]>(ConnectorHealth.wemalo, { accountId: account.accountId, connectionId }))[0];
  const simCalls = () => Object.values(wemalo.sim.counter.snapshot()).reduce((sum, n) => sum + n, 0);

  it('WEM-2: "sync now" makes the lease holder sweep within 2 s, whichever of two replicas takes the request', async () => {
    const wem = await hub.createConnection(account.accountId, wemaloConnection(wemalo, { syncIntervalMinutes: 60 }));
    let sweptAt = (await waitFor(async () => (await health(wem.id))?.lastSuccessAt, { what: 'first sweep', timeoutMs: 30_000 })) as string;
    // The queue group hands each request to either replica: six rounds reach the one without the lease
    // with a probability of 63/64 (before the runtime, that replica answered "accepted" and did nothing).
    for (let round = 1; round <= 6; round++) {
      const before = simCalls();
      const reply = await hub.call(ConnectorTriggers.wemalo, { accountId: account.accountId, connectionId: wem.id, type: 'wemalo' });
      expect(reply).toEqual({ accepted: true, connectionId: wem.id });
      await waitFor(() => simCalls() > before, {
        timeoutMs: 2_000,
        intervalMs: 50,
        what: `a sweep within 2 s of "sync now" (round ${round})`,
      });
      const previous = sweptAt;
      sweptAt = (await waitFor(
        async () => {
          const at = (await health(wem.id))?.lastSuccessAt;
          return at && at > previous ? at : undefined;
        },
        { what: `sweep ${round} finished` },
      )) as string;
    }
    await hub.call(Rpc.connectionsDelete, { accountId: account.accountId, actor: 'test', body: { connectionId: wem.id } });
  });

  it('HUB-3 / WEM-4: a goods order refused with 401 waits (visible on the order and the connection) and is sent exactly once when the token works', async () => {
    const wem = await hub.createConnection(account.accountId, wemaloConnection(wemalo, { syncIntervalMinutes: 60 }));
    await waitFor(async () => (await health(wem.id))?.lastSuccessAt, { what: 'first sweep', timeoutMs: 30_000 });
    await hub.call(Rpc.connectionsUpdate, {
      accountId: account.accountId,
      actor: 'test',
      body: { connectionId: wem.id, secrets: { apiToken: 'rotated-away' } },
    });
    const article = await hub.upsertArticle(account.accountId, {
      sku: `R-${uid()}`,
      ean: `40${Math.floor(Math.random() * 1e11)}`,
      title: 'Artikel',
      price: 10,
      dimensions: { lengthCm: 10, widthCm: 20, heightCm: 5, weightGrams: 300 },
    });
    const order = await hub.importOrder(account.accountId, shop.id, 'jimdo', shopOrder(`S-${uid()}`, [{ sku: article.sku!, quantity: 1 }]));
    await hub.changeTags(account.accountId, order.id, ['wemalo']);

    const waiting = await hub.activity(account.accountId, order.id, (h) => h.outcome === 'waiting', 'a "waiting" goods order');
    expect(waiting.detail).toMatch(/refused the credentials/);
    const failing = await waitFor(async () => ((await health(wem.id))?.consecutiveFailures ? health(wem.id) : undefined), {
      what: 'the connection shown as failing',
    });
    expect(failing?.lastError?.reason).toMatch(/401|UNAUTHORIZED/);
    expect(wemalo.submissions(order.id)).toHaveLength(0);

    await hub.call(Rpc.connectionsUpdate, {
      accountId: account.accountId,
      actor: 'test',
      body: { connectionId: wem.id, secrets: { apiToken: WEMALO_TOKEN } },
    });
    await waitFor(
      async () => ((await hub.getOrder(account.accountId, order.id)).tags.includes('order_received_by_wemalo') ? true : undefined),
      {
        what: 'the goods order sent once the token works',
        timeoutMs: 60_000,
      },
    );
    expect(wemalo.submissions(order.id)).toHaveLength(1);
    expect(await health(wem.id)).toMatchObject({ consecutiveFailures: 0 });
  });
});
