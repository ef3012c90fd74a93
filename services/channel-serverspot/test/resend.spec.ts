import { type AccountCreated, type Order, Rpc, Subjects } from '@orderhub/contracts';
import { type OrderHistoryEntry, waitFor } from '@orderhub/testkit';
import { ApiStack } from './support/api-stack';
import { ACTOR, type ShopSim, type Stack } from './support/harness';

const SET_SHIPPED = /SetOrderState 4/;

/**
 * "Resend write-back" end to end: gateway → orders (rpc.orders.resend-write-back) → order.shipped again
 * (marked resend) → channel-serverspot → the Custom Shop simulator. A write-back that never went out
 * goes out once on request; a second resend finds the shop already there and writes nothing.
 */
describe('resend write-back through the API (Serverspot)', () => {
  let shop: ShopSim;
  let stack: Stack;
  let api: ApiStack;
  let account: AccountCreated;
  let other: AccountCreated;

  beforeAll(async () => {
    api = await ApiStack.start('sspresend');
    ({ shop, stack, account, other } = api);
  });
  afterAll(() => api?.close());

  const resend = (orderId: string, key = account.apiKey) => api.api('POST', `/orders/${orderId}/write-back/resend`, key);
  const shopWrites = async (externalId: string) =>
    (await shop.received('resend-shop')).stateChanges.filter((c: { orderId: string }) => c.orderId === externalId);
  const writeBacks = async (orderId: string): Promise<OrderHistoryEntry[]> =>
    (await stack.history(account.accountId, orderId)).filter((h) => h.actor.startsWith('connector:') && SET_SHIPPED.test(h.action));

  it('a write-back refused while the connection did not send to the shop goes out once on resend; a second resend writes nothing', async () => {
    await shop.createShop('resend-shop', { orders: 1 });
    const connectionId = await stack.connection(
      account.accountId,
      { apiUrl: shop.apiUrl('resend-shop'), syncDirection: 'channelToHub' },
      { shopKey: 'resend-shop-key' },
    );
    const order: Order = await waitFor(async () => (await stack.listOrders(account.accountId, connectionId))[0], {
      what: 'the shop order imported',
      timeoutMs: 30_000,
    });
    await stack.call(Rpc.ordersAddShipment, {
      accountId: account.accountId,
      actor: ACTOR,
      body: { orderId: order.id, carrier: 'DHL', trackingNumber: 'RESEND-1' },
    });
    await stack.call(Rpc.ordersChangeState, { accountId: account.accountId, actor: ACTOR, body: { orderId: order.id, state: 4 } });
    const refused = await stack.activity(
      account.accountId,
      order.id,
      (h) => h.outcome === 'refused' && SET_SHIPPED.test(h.action),
      'CONN-4',
    );
    expect(refused.ruleId).toBe('CONN-4');
    expect(await shopWrites(order.externalId)).toHaveLength(0);

    await stack.call(Rpc.connectionsUpdate, {
      accountId: account.accountId,
      actor: ACTOR,
      body: { connectionId, settings: { syncDirection: 'both' }, verify: false },
    });
    // The connector learns the new direction from connection.changed; a resend it still refuses is sent again.
    const ok = await waitFor(
      async () => {
        const before = (await writeBacks(order.id)).length;
        const res = await resend(order.id);
        expect(res.status).toBe(202);
        const after = await waitFor(
          async () => {
            const entries = await writeBacks(order.id);
            return entries.length > before ? entries : undefined;
          },
          { what: 'the outcome of the resend', timeoutMs: 20_000, intervalMs: 200 },
        );
        return after.find((h) => h.outcome === 'ok');
      },
      { what: 'the resent write-back done', timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(ok.detail).toMatch(/RESEND-1/);
    const writes = await shopWrites(order.externalId);
    expect(writes).toHaveLength(1);
    expect(await shop.shopOrders('resend-shop')).toEqual(
      expect.arrayContaining([expect.objectContaining({ order: expect.objectContaining({ order_status_id: 4 }) })]),
    );

    const again = await resend(order.id);
    expect(again.status).toBe(202);
    const already = await stack.activity(
      account.accountId,
      order.id,
      (h) => h.outcome === 'ok' && SET_SHIPPED.test(h.action) && /already shows/.test(h.detail ?? ''),
      'the second resend answered by the shop state',
    );
    expect(already.ruleId).toBe('SSP-3');
    await stack.consumerSettled(Subjects.orderShipped, 'channel-serverspot_order_shipped');
    expect(await shopWrites(order.externalId)).toHaveLength(1);

    const foreign = await resend(order.id, other.apiKey);
    expect(foreign.status).toBe(404);
    expect(foreign.type).toMatch(/^application\/problem\+json/);
  });
});
