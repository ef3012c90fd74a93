import { EventProbe, waitFor } from '@orderhub/testkit';
import { ShopSim, Stack } from './support/harness';

/**
 * SSP-3 import under a crash: 500 orders over many GetOrders pages, the connector killed with SIGKILL in
 * the middle and started again. Every order ends up in the hub exactly once and acknowledged in the shop.
 */
describe('channel-serverspot import across a connector crash', () => {
  let shop: ShopSim;
  let stack: Stack;
  let probe: EventProbe;

  beforeAll(async () => {
    shop = await ShopSim.start();
    await shop.createShop('bulk', { orders: 500, products: 20 });
    stack = await Stack.start('ssprestart', { SERVERSPOT_PAGE_SIZE: '10' });
    probe = await EventProbe.start(stack.iso.natsUrl, `${stack.iso.natsPrefix}.order.imported`);
  });
  afterAll(async () => {
    await probe?.close();
    await stack?.close();
    await shop?.close();
  });

  it('SSP-3: 500 orders over 50 pages are imported exactly once across a SIGKILL of the connector', async () => {
    const accountId = await stack.account();
    const connectionId = await stack.connection(accountId, { apiUrl: shop.apiUrl('bulk') }, { shopKey: 'bulk-key' });
    // kill it while it is working through the pages
    const ackedAtKill = await waitFor(
      async () => {
        const n = (await shop.received('bulk')).acks.length;
        return n >= 60 ? n : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 50, what: 'import under way' },
    );
    await stack.restartConnector('SIGKILL', { SERVERSPOT_PAGE_SIZE: '10' });
    expect(ackedAtKill).toBeLessThan(500);

    await waitFor(async () => (await shop.shopOrders('bulk')).every((o) => o.acknowledged), { timeoutMs: 90_000, intervalMs: 500, what: 'all 500 acknowledged' });
    const orders = await stack.ordersOf(accountId, connectionId);
    expect(orders).toHaveLength(500);
    expect(new Set(orders.map((o) => o.externalId)).size).toBe(500);
    // exactly one order.imported per order (the outbox relay may re-publish with the same Nats-Msg-Id: dedupe by it)
    const imported = probe.received.filter((r) => (r.data as { data?: { connectionId?: string } }).data?.connectionId === connectionId);
    const distinctEvents = new Set(imported.map((r) => r.msgId ?? JSON.stringify(r.data)));
    const distinctOrders = new Set(imported.map((r) => (r.data as { data: { externalId: string } }).data.externalId));
    expect(distinctOrders.size).toBe(500);
    expect(distinctEvents.size).toBe(500);
    // acks after the restart repeat at most the page that was in hand
    const acks = (await shop.received('bulk')).acks;
    expect(new Set(acks.map((a) => a.orderId)).size).toBe(500);
    expect(acks.length).toBeLessThanOrEqual(500 + 10);
  });
});
