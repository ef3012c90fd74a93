import { type AccountCreated, ConnectorTriggers, type ParkedChannelOrder } from '@orderhub/contracts';
import { isolate, ServiceProcess, waitFor } from '@orderhub/testkit';
import { Hub, OttoSim, startConnector, startOrders } from './support';

/**
 * Issue 15 for OTTO: an order OTTO serves in a shape the mapper cannot read (no position items, an
 * order date that is no date) is parked with the reason instead of skipped. The rest of the import goes
 * on, the parked order stays listed through the API after the checkpoint moved past it, a retry reads
 * it from OTTO again, and once OTTO serves it whole the retry imports it.
 */
describe('channel-otto: orders the mapper cannot read are parked, listed and retried through the API', () => {
  const iso = isolate('ottopark');
  let sim: OttoSim;
  let orders: ServiceProcess;
  let connector: ServiceProcess;
  let gateway: ServiceProcess;
  let hub: Hub;
  let account: AccountCreated;
  let other: AccountCreated;

  beforeAll(async () => {
    sim = await OttoSim.start();
    orders = await startOrders(iso);
    connector = await startConnector(iso);
    gateway = await ServiceProcess.start('services/gateway', { NATS_URL: iso.natsUrl, NATS_PREFIX: iso.natsPrefix });
    hub = await Hub.connect(iso);
    account = await hub.createAccount('OTTO merchant with broken orders');
    other = await hub.createAccount('Another merchant');
  });
  afterAll(async () => {
    await gateway?.stop();
    await connector?.stop();
    await orders?.stop();
    await hub?.close();
    await sim?.close();
  });

  const api = async (method: string, path: string, key = account.apiKey) => {
    const res = await fetch(`${gateway.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${key}` } });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const parkedOf = async (connectionId: string): Promise<ParkedChannelOrder[]> =>
    (await api('GET', `/connections/${connectionId}/parked-orders`)).body.items;

  it('parks an order without position items and one with a broken order date with the reason; the import goes on; a retry after OTTO fixed it imports it', async () => {
    const seller = sim.seller('otto-parking', 3);
    const connectionId = await hub.ottoConnection(account.accountId, sim.url, seller, { pollIntervalSeconds: 3600 });
    const [noItems, badDate, good] = await sim.generate(seller.partnerId, 3, 'PROCESSABLE');
    await sim.admin('POST', `/orders/${noItems.salesOrderId}/defect`, { defect: 'no-position-items' });
    await sim.admin('POST', `/orders/${badDate.salesOrderId}/defect`, { defect: 'invalid-order-date' });

    await hub.call(ConnectorTriggers.otto, { type: 'otto', connectionId });
    await hub.waitOrder(account.accountId, connectionId, good.salesOrderId);
    const listed = await waitFor(
      async () => {
        const items = await parkedOf(connectionId);
        return items.length === 2 ? items : undefined;
      },
      { what: 'both broken orders listed as parked' },
    );
    expect(listed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          connectionId,
          externalId: noItems.salesOrderId,
          orderNumber: noItems.orderNumber,
          reason: 'no position items',
          attempts: expect.any(Number),
        }),
        expect.objectContaining({
          externalId: badDate.salesOrderId,
          reason: expect.stringMatching(/^order date ".+" is not a date$/),
        }),
      ]),
    );
    for (const broken of [noItems, badDate]) {
      expect(await hub.findOrder(account.accountId, connectionId, broken.salesOrderId)).toBeUndefined();
    }
    // Polls go on until a run starts after the broken orders' last change (plus the overlap): from then on
    // no poll reads them again, and before, nothing brought them back.
    const lastChange = Math.max(Date.parse(noItems.lastModifiedDate), Date.parse(badDate.lastModifiedDate));
    const checkpoint = await waitFor(
      async () => {
        const cp = await hub.checkpoint('otto', connectionId);
        if (cp && !cp.run && Date.parse(cp.fromDate) > lastChange) return cp;
        await hub.call(ConnectorTriggers.otto, { type: 'otto', connectionId });
        return undefined;
      },
      { what: 'the checkpoint past the broken orders', intervalMs: 1_000 },
    );
    expect(Date.parse(checkpoint.fromDate)).toBeGreaterThan(Date.parse(noItems.lastModifiedDate));
    expect(await parkedOf(connectionId)).toHaveLength(2);

    expect((await api('GET', `/connections/${connectionId}/parked-orders`, other.apiKey)).status).toBe(404);
    expect((await api('POST', `/connections/${connectionId}/parked-orders/${noItems.salesOrderId}/retry`, other.apiKey)).status).toBe(404);
    expect((await api('POST', `/connections/${connectionId}/parked-orders/not-parked/retry`)).status).toBe(404);

    const stillBroken = await api('POST', `/connections/${connectionId}/parked-orders/${noItems.salesOrderId}/retry`);
    expect(stillBroken).toMatchObject({
      status: 200,
      body: { externalId: noItems.salesOrderId, outcome: 'parked', reason: 'no position items' },
    });
    const before = listed.find((p) => p.externalId === noItems.salesOrderId)!;
    const again = (await parkedOf(connectionId)).find((p) => p.externalId === noItems.salesOrderId)!;
    expect(again.attempts).toBeGreaterThan(before.attempts);
    expect(again.parkedAt).toBe(before.parkedAt);

    // OTTO serves the order whole again, without a new change date: only the retry reads it again.
    await sim.admin('POST', `/orders/${noItems.salesOrderId}/defect`, { defect: null });
    const fixed = await api('POST', `/connections/${connectionId}/parked-orders/${noItems.salesOrderId}/retry`);
    expect(fixed).toMatchObject({
      status: 200,
      body: { externalId: noItems.salesOrderId, outcome: 'imported', orderId: expect.any(String) },
    });
    const order = await hub.getOrder(account.accountId, fixed.body.orderId);
    expect(order).toMatchObject({ externalId: noItems.salesOrderId, orderNumber: noItems.orderNumber, connectionId });
    expect(order.positions.filter((p) => !p.isDiscount)).toHaveLength(noItems.positionItems.length);
    expect((await parkedOf(connectionId)).map((p) => p.externalId)).toEqual([badDate.salesOrderId]);
  });
});
