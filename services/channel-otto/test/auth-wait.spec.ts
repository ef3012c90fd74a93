import { type ConnectionHealth, ConnectorHealth, ConnectorTriggers, OrderState, Rpc, Subjects } from '@orderhub/contracts';
import { isolate, ServiceProcess, waitFor } from '@orderhub/testkit';
import { Hub, OttoSim, startConnector, startOrders } from './support';

/**
 * HUB-3 for OTTO (issue 15): the seller changes the API password at OTTO. The shipment write-back
 * gets 401 from OTTO, waits (visible on the order and the connection) instead of failing, and goes
 * out exactly once when the merchant enters the new password.
 */
describe('channel-otto: a write-back OTTO refuses with 401 waits for working credentials', () => {
  const iso = isolate('ottoauth');
  let sim: OttoSim;
  let orders: ServiceProcess;
  let connector: ServiceProcess;
  let hub: Hub;

  beforeAll(async () => {
    sim = await OttoSim.start();
    orders = await startOrders(iso);
    connector = await startConnector(iso);
    hub = await Hub.connect(iso);
  });
  afterAll(async () => {
    await connector?.stop();
    await orders?.stop();
    await hub?.close();
    await sim?.close();
  });

  it('HUB-3: a shipment refused with 401 waits and goes out once with the new password; a resend adds no second shipment', async () => {
    const seller = sim.seller('otto-rotated', 3);
    const accountId = await hub.account('OTTO merchant rotating passwords');
    const connectionId = await hub.ottoConnection(accountId, sim.url, seller, { pollIntervalSeconds: 3600 });
    const [otto] = await sim.generate(seller.partnerId, 1, 'PROCESSABLE');
    await hub.call(ConnectorTriggers.otto, { type: 'otto', connectionId });
    const order = await hub.waitOrder(accountId, connectionId, otto.salesOrderId);

    // The password changes at OTTO; the token the connector holds dies with it.
    const stored = sim.sim.store.sellers.get(seller.partnerId)!;
    stored.password = 'rotated-at-otto';
    sim.sim.issuer.expireAll();

    const tracking = `00340434${order.id.slice(0, 8)}`;
    const actor = 'test';
    await hub.call(Rpc.ordersAddShipment, { accountId, actor, body: { orderId: order.id, carrier: 'DHL', trackingNumber: tracking } });
    await hub.call(Rpc.ordersAddShipment, {
      accountId,
      actor,
      body: { orderId: order.id, type: 'return', carrier: 'DHL', trackingNumber: `R${tracking}` },
    });
    await hub.call(Rpc.ordersChangeState, { accountId, actor, body: { orderId: order.id, state: OrderState.Shipped } });

    const waiting = await hub.activity(
      accountId,
      order.id,
      (h) => h.action === 'otto.ship' && h.outcome === 'waiting',
      'otto.ship waiting',
    );
    expect(waiting.detail).toMatch(/refused the credentials/);
    expect(waiting.detail).toMatch(/401/);
    const history = await hub.history(accountId, order.id);
    expect(history.filter((h) => h.action === 'otto.ship' && h.outcome === 'failed')).toHaveLength(0);
    const failing = await waitFor(
      async () => {
        const [health] = await hub.call<ConnectionHealth[]>(ConnectorHealth.otto, { accountId, connectionId });
        return health && health.consecutiveFailures > 0 ? health : undefined;
      },
      { what: 'the connection shown as failing' },
    );
    expect(failing.lastError?.reason).toMatch(/401/);

    await hub.call(Rpc.connectionsUpdate, {
      accountId,
      actor,
      body: { connectionId, secrets: { username: seller.username, password: 'rotated-at-otto' }, verify: false },
    });
    const ok = await waitFor(
      async () => (await hub.history(accountId, order.id)).find((h) => h.action === 'otto.ship' && h.outcome === 'ok'),
      { what: 'the shipment at OTTO once the password works', timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(ok.detail).toMatch(tracking);
    await hub.consumerSettled(Subjects.orderShipped, 'channel-otto-shipped');
    const shipments = (await sim.admin<any[]>('GET', '/shipments')).filter((s) =>
      s.positionItems.some((p: any) => p.salesOrderId === otto.salesOrderId),
    );
    expect(shipments).toHaveLength(1);
    const done = await hub.history(accountId, order.id);
    expect(done.filter((h) => h.action === 'otto.ship' && h.outcome === 'ok')).toHaveLength(1);
    const [healthy] = await hub.call<ConnectionHealth[]>(ConnectorHealth.otto, { accountId, connectionId });
    expect(healthy).toMatchObject({ consecutiveFailures: 0 });

    // "Resend write-back" of a shipment OTTO already has: OTTO answers 409, the connector finds its own
    // shipment and records ok; OTTO still holds one shipment.
    await hub.call(Rpc.ordersResendWriteBack, { accountId, actor, body: { orderId: order.id } });
    const resent = await waitFor(
      async () => {
        const oks = (await hub.history(accountId, order.id)).filter((h) => h.action === 'otto.ship' && h.outcome === 'ok');
        return oks.length === 2 ? oks[1] : undefined;
      },
      { what: 'the resent shipment recorded', timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(resent.detail).toMatch(/already shipped at OTTO/);
    await hub.consumerSettled(Subjects.orderShipped, 'channel-otto-shipped');
    const after = (await sim.admin<any[]>('GET', '/shipments')).filter((s) =>
      s.positionItems.some((p: any) => p.salesOrderId === otto.salesOrderId),
    );
    expect(after).toHaveLength(1);
  });
});
