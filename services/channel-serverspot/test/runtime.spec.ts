import { type ConnectionHealth, ConnectorHealth, type Order, Rpc, Subjects } from '@orderhub/contracts';
import { type ServiceProcess, waitFor } from '@orderhub/testkit';
import { ACTOR, ShopSim, Stack } from './support/harness';

/** Short leases: replicas re-read the replica list every LEASE_TTL_MS / 6, so both see each other quickly. */
const RUNTIME_ENV = { LEASE_TTL_MS: '3000' };

/**
 * channel-serverspot on the connector runtime (libs/connector-kit) with two replicas: "sync now"
 * reaches the lease holder whichever replica takes the request, and a write-back the shop refuses
 * with 401 waits, is visible, and goes out exactly once when the shop takes the key again.
 */
describe('channel-serverspot on the connector runtime, two replicas', () => {
  let shop: ShopSim;
  let stack: Stack;
  let replicaB: ServiceProcess;
  let accountId: string;

  beforeAll(async () => {
    shop = await ShopSim.start();
    stack = await Stack.start('sspruntime', RUNTIME_ENV);
    replicaB = await stack.startReplica('ssp-test-replica-b', RUNTIME_ENV);
    accountId = await stack.account('Händler zwei Replikas');
    // Both replicas heartbeat, and each has re-read the list since: no rebalancing poll during the rounds.
    await waitFor(async () => (await stack.connectorKeys('serverspot', 'replica.*')).length >= 2, { what: 'two live replicas' });
    await new Promise((r) => setTimeout(r, 1_000));
  });
  afterAll(async () => {
    await replicaB?.stop();
    await stack?.close();
    await shop?.close();
  });

  const connection = (shopId: string) => stack.connection(accountId, { apiUrl: shop.apiUrl(shopId) }, { shopKey: `${shopId}-key` });
  const articlesAt = async (connectionId: string): Promise<number> => (await stack.checkpoint('serverspot', connectionId))?.articlesAt ?? 0;

  it('CONN: "sync now" makes the lease holder poll within 2 s, whichever of two replicas takes the request', async () => {
    await shop.createShop('sync-two');
    const connectionId = await connection('sync-two'); // polls every hour: only the first poll and the triggers
    let polledAt = await waitFor(async () => (await articlesAt(connectionId)) || undefined, { what: 'first poll', timeoutMs: 30_000 });
    // The queue group hands each request to either replica: six rounds reach the one without the lease
    // with a probability of 63/64 (before the runtime, that replica answered "accepted" and did nothing).
    for (let round = 1; round <= 6; round++) {
      const callsBefore = await shop.calls('sync-two');
      await stack.trigger(accountId, connectionId);
      await waitFor(async () => (await shop.calls('sync-two')) > callsBefore, {
        timeoutMs: 2_000,
        intervalMs: 50,
        what: `a poll within 2 s of "sync now" (round ${round})`,
      });
      // The poll (orders, then the requested products) is done before the next round counts calls.
      const previous = polledAt;
      polledAt = await waitFor(async () => ((await articlesAt(connectionId)) > previous ? articlesAt(connectionId) : undefined), {
        what: `poll ${round} finished`,
      });
    }
  });

  it('HUB-3: a SetOrderState refused with 401 waits (visible on the order and the connection) and goes out exactly once once the key works', async () => {
    await shop.createShop('rotated-key', { orders: 1 });
    const connectionId = await connection('rotated-key');
    const [order] = await waitFor(
      async () => {
        const orders = await stack.listOrders(accountId, connectionId);
        return orders.length ? orders : undefined;
      },
      { what: 'the shop order imported', timeoutMs: 30_000 },
    );
    const shipped: Order = order!;
    shop.refuseAuthFor.add('rotated-key');
    await stack.call(Rpc.ordersAddShipment, {
      accountId,
      actor: ACTOR,
      body: { orderId: shipped.id, carrier: 'DHL', trackingNumber: 'ROTATED-1' },
    });
    await stack.call(Rpc.ordersChangeState, { accountId, actor: ACTOR, body: { orderId: shipped.id, state: 4 } });

    const waiting = await stack.activity(accountId, shipped.id, (h) => h.outcome === 'waiting', 'a "waiting" write-back on the order');
    expect(waiting.detail).toMatch(/refused the credentials/);
    const failing = await waitFor(
      async () => {
        const [health] = await stack.call<ConnectionHealth[]>(ConnectorHealth.serverspot, { accountId, connectionId });
        return health && health.consecutiveFailures > 0 ? health : undefined;
      },
      { what: 'the connection shown as failing' },
    );
    expect(failing.lastError?.reason).toMatch(/credentials/);
    expect(failing.failingSince).toBeDefined();

    shop.refuseAuthFor.delete('rotated-key');
    const ok = await waitFor(
      async () => (await stack.history(accountId, shipped.id)).find((h) => h.outcome === 'ok' && /SetOrderState 4/.test(h.action)),
      { what: 'the write-back done once the shop takes the key', timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(ok.detail).toMatch(/ROTATED-1/);
    await stack.consumerSettled(Subjects.orderShipped, 'channel-serverspot_order_shipped');
    const changes = (await shop.received('rotated-key')).stateChanges.filter((c) => c.orderId === shipped.externalId);
    expect(changes).toHaveLength(1);
    const history = await stack.history(accountId, shipped.id);
    expect(history.filter((h) => h.outcome === 'ok' && /SetOrderState 4/.test(h.action))).toHaveLength(1);
    const [healthy] = await stack.call<ConnectionHealth[]>(ConnectorHealth.serverspot, { accountId, connectionId });
    expect(healthy).toMatchObject({ consecutiveFailures: 0 });
    expect(healthy?.lastSuccessAt).toBeDefined();
  });
});
