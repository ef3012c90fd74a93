import { EventProbe, waitFor } from '@orderhub/testkit';
import { ShopSim, Stack } from './support/harness';

/**
 * SSP-3 import under a crash: 500 orders over many GetOrders pages, the connector killed with SIGKILL in
 * the middle and started again. Every order ends up in the hub exactly once and acknowledged in the shop.
 */
/** 500 as the brief asks; SSP_BULK_ORDERS lowers it for a quick local run (the orders service on FerretDB is the bottleneck). */
const BULK = Number(process.env.SSP_BULK_ORDERS ?? 500);
jest.setTimeout(600_000);

describe('channel-serverspot import across a connector crash', () => {
  let shop: ShopSim;
  let stack: Stack;
  let probe: EventProbe;

  beforeAll(async () => {
    shop = await ShopSim.start();
    await shop.createShop('bulk', { orders: BULK, products: 20 });
    stack = await Stack.start('ssprestart', { SERVERSPOT_PAGE_SIZE: '10' });
    probe = await EventProbe.start(stack.iso.natsUrl, `${stack.iso.natsPrefix}.order.imported`);
  });
  afterAll(async () => {
    await probe?.close();
    await stack?.close();
    await shop?.close();
  });

  it(`SSP-3: ${BULK} orders over ${BULK / 10} pages are imported exactly once across a SIGKILL of the connector`, async () => {
    const accountId = await stack.account('Händler');
    const connectionId = await stack.connection(accountId, { apiUrl: shop.apiUrl('bulk') }, { shopKey: 'bulk-key' });
    const started = Date.now();
    const progress = setInterval(() => {
      void Promise.all([shop.received('bulk'), stack.listOrders(accountId, connectionId)]).then(
        ([r, o]) => process.env.SSP_DEBUG && console.log(`${Date.now() - started} ms: ${r.acks.length} acks, ${o.length} in hub`),
      );
    }, 5000);
    // kill it while it is working through the pages
    const ackedAtKill = await waitFor(
      async () => {
        const n = (await shop.received('bulk')).acks.length;
        return n >= Math.ceil(BULK / 8) ? n : undefined;
      },
      { timeoutMs: 300_000, intervalMs: 50, what: 'import under way' },
    );
    await stack.restartConnector('SIGKILL', { SERVERSPOT_PAGE_SIZE: '10' });
    expect(ackedAtKill).toBeLessThan(BULK);

    await waitFor(async () => (await shop.shopOrders('bulk')).every((o) => o.acknowledged), {
      timeoutMs: 500_000,
      intervalMs: 500,
      what: `all ${BULK} acknowledged`,
    });
    clearInterval(progress);
    const orders = await stack.listOrders(accountId, connectionId);
    expect(orders).toHaveLength(BULK);
    expect(new Set(orders.map((o) => o.externalId)).size).toBe(BULK);
    // exactly one order.imported per order (the outbox relay may re-publish with the same Nats-Msg-Id: dedupe by it)
    const importedEvents = () =>
      probe.received.filter((r) => (r.data as { data?: { connectionId?: string } }).data?.connectionId === connectionId);
    const externalIdOf = (r: { data: unknown }) => (r.data as { data: { externalId: string } }).data.externalId;
    await waitFor(() => new Set(importedEvents().map(externalIdOf)).size === BULK, {
      timeoutMs: 60_000,
      what: 'order.imported for every order',
    });
    await new Promise((r) => setTimeout(r, 1000));
    const imported = importedEvents();
    const distinctEvents = new Set(imported.map((r) => r.msgId ?? JSON.stringify(r.data)));
    expect(distinctEvents.size).toBe(BULK);
    // acks after the restart repeat at most the page that was in hand
    const acks = (await shop.received('bulk')).acks;
    expect(new Set(acks.map((a) => a.orderId)).size).toBe(BULK);
    expect(acks.length).toBeLessThanOrEqual(BULK + 10);
  });
});
