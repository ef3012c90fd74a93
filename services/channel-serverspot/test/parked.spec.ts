import type { AccountCreated, ParkedChannelOrder } from '@orderhub/contracts';
import { waitFor } from '@orderhub/testkit';
import { ApiStack } from './support/api-stack';
import type { ShopSim, Stack } from './support/harness';

/**
 * A shop order the mapper cannot read (no positions) is parked with the reason, not skipped: it stays
 * listed through the API after the checkpoint moved past it, a retry reads it from the shop again, and
 * once the shop fixed it the retry imports and acknowledges it (issue 15).
 */
describe('parked shop orders (Serverspot) through the API', () => {
  let shop: ShopSim;
  let stack: Stack;
  let apiStack: ApiStack;
  let account: AccountCreated;
  let other: AccountCreated;

  beforeAll(async () => {
    apiStack = await ApiStack.start('ssppark');
    ({ shop, stack, account, other } = apiStack);
  });
  afterAll(() => apiStack?.close());

  const api = (method: string, path: string, key?: string) => apiStack.api(method, path, key);

  it('parks an order without positions with the reason, keeps it listed after the checkpoint moved on, and imports it on retry once the shop fixed it', async () => {
    await shop.createShop('park-shop', { orders: 0 });
    const orderDate = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000).toISOString();
    await shop.admin('POST', '/shops/park-shop/orders', {
      order_id: 'BAD-1',
      order_number: 'B-1',
      order_date: orderDate,
      order_products: [],
    });
    await shop.admin('POST', '/shops/park-shop/orders', {
      order_id: 'GOOD-1',
      order_date: orderDate,
      order_products: [{ product_id: '1', sku: 'SKU-1', name: 'Becher', quantity: 1, unit_price: 9.9 }],
    });
    const connectionId = await stack.connection(account.accountId, { apiUrl: shop.apiUrl('park-shop') }, { shopKey: 'park-shop-key' });
    await waitFor(() => stack.findOrder(account.accountId, connectionId, 'GOOD-1'), { what: 'GOOD-1 imported', timeoutMs: 30_000 });

    const listed: ParkedChannelOrder[] = await waitFor(
      async () => {
        const res = await api('GET', `/connections/${connectionId}/parked-orders`);
        return res.status === 200 && res.body.items.length > 0 ? res.body.items : undefined;
      },
      { what: 'BAD-1 listed as parked' },
    );
    expect(listed).toEqual([
      expect.objectContaining({
        connectionId,
        externalId: 'BAD-1',
        orderNumber: 'B-1',
        reason: 'no positions',
        attempts: expect.any(Number),
      }),
    ]);
    expect(await stack.findOrder(account.accountId, connectionId, 'BAD-1')).toBeUndefined();
    // The poll finished and its checkpoint is past the broken order: before, nothing would bring it back.
    const checkpoint = await waitFor(
      async () => {
        const cp = await stack.checkpoint('serverspot', connectionId);
        return cp && Date.parse(cp.since) > Date.parse(orderDate) ? cp : undefined;
      },
      { what: 'the checkpoint past the broken order' },
    );
    expect(Date.parse(checkpoint.since)).toBeGreaterThan(Date.parse(orderDate));
    expect((await api('GET', `/connections/${connectionId}/parked-orders`)).body.items).toHaveLength(1);

    const foreign = await api('GET', `/connections/${connectionId}/parked-orders`, other.apiKey);
    expect(foreign.status).toBe(404);
    expect(foreign.type).toMatch(/^application\/problem\+json/);
    expect((await api('POST', `/connections/${connectionId}/parked-orders/BAD-1/retry`, other.apiKey)).status).toBe(404);
    expect((await api('POST', `/connections/${connectionId}/parked-orders/NOPE-1/retry`)).status).toBe(404);

    const stillBroken = await api('POST', `/connections/${connectionId}/parked-orders/BAD-1/retry`);
    expect(stillBroken).toMatchObject({ status: 200, body: { externalId: 'BAD-1', outcome: 'parked', reason: 'no positions' } });
    const again = (await api('GET', `/connections/${connectionId}/parked-orders`)).body.items[0];
    expect(again.attempts).toBeGreaterThan(listed[0]!.attempts);
    expect(again.parkedAt).toBe(listed[0]!.parkedAt);

    await shop.admin('PATCH', '/shops/park-shop/orders/BAD-1', {
      order_products: [{ product_id: '2', sku: 'SKU-2', name: 'Teller', quantity: 2, unit_price: 4.5 }],
    });
    const fixed = await api('POST', `/connections/${connectionId}/parked-orders/BAD-1/retry`);
    expect(fixed).toMatchObject({ status: 200, body: { externalId: 'BAD-1', outcome: 'imported', orderId: expect.any(String) } });
    const order = await stack.getOrder(account.accountId, fixed.body.orderId);
    expect(order).toMatchObject({ externalId: 'BAD-1', orderNumber: 'B-1', connectionId });
    expect(order.positions).toEqual([expect.objectContaining({ sku: 'SKU-2', quantity: 2 })]);
    expect((await api('GET', `/connections/${connectionId}/parked-orders`)).body.items).toEqual([]);
    const acks = (await shop.received('park-shop')).acks.map((a: { orderId: string }) => a.orderId);
    expect(acks).toContain('BAD-1');
  });
});
