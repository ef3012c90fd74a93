import { admin, callShop, startSimulator, T0_MS, type Harness } from './support/harness';

describe('custom-shop simulator: several shops in one process, products, admin', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSimulator();
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    h.clock.ms = T0_MS;
    await admin(h, 'POST', '/reset');
  });

  it('CONN-1: two shops run side by side, each with its own key, data and received log', async () => {
    const a = await admin(h, 'POST', '/shops', { shopId: 'laden-a', key: 'key-a', orders: 3, products: 4 });
    const b = await admin(h, 'POST', '/shops', {
      shopId: 'laden-b',
      key: 'key-b',
      orders: 7,
      products: 2,
      basicAuth: { username: 'b', password: 'pw' },
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.apiPath).toBe('/shops/laden-a/api');

    const ordersA = await callShop(h, { shopId: 'laden-a', shopKey: 'key-a', action: 'GetOrders', query: { PageSize: '100' } });
    const ordersB = await callShop(h, {
      shopId: 'laden-b',
      shopKey: 'key-b',
      action: 'GetOrders',
      query: { PageSize: '100' },
      basicAuth: { username: 'b', password: 'pw' },
    });
    expect((ordersA.json() as { paging: { totalCount: number } }).paging.totalCount).toBe(3);
    expect((ordersB.json() as { paging: { totalCount: number } }).paging.totalCount).toBe(7);

    // Shop A's Key does not open shop B, and A needs no basic auth.
    expect(
      (await callShop(h, { shopId: 'laden-b', shopKey: 'key-a', action: 'GetOrders', basicAuth: { username: 'b', password: 'pw' } }))
        .status,
    ).toBe(401);

    const orderA = (ordersA.json() as { orders: { order_id: string }[] }).orders[0]!.order_id;
    await callShop(h, { shopId: 'laden-a', shopKey: 'key-a', action: 'AckOrder', form: { OrderId: orderA } });
    expect((await admin(h, 'GET', '/shops/laden-a/received')).body.acks).toHaveLength(1);
    expect((await admin(h, 'GET', '/shops/laden-b/received')).body.acks).toHaveLength(0);
    expect((await admin(h, 'GET', '/calls')).body).toEqual(
      expect.objectContaining({ 'GET /shops/laden-a/api': 1, 'POST /shops/laden-a/api': 1 }),
    );
  });

  it('SSP-3: GetProducts pages (default PageSize 100), GetProduct returns one, GetShippingProfiles a bare Id/Name array', async () => {
    await admin(h, 'POST', '/shops', { shopId: 'laden-p', key: 'k', products: 5 });
    const call = (action: string, query: Record<string, string> = {}) => callShop(h, { shopId: 'laden-p', shopKey: 'k', action, query });
    const all = (await call('GetProducts')).json() as { paging: unknown; products: { id: string; images?: { Position: number }[] }[] };
    expect(all.paging).toEqual({ page: 1, totalCount: 5, totalPages: 1 });
    const page2 = (await call('GetProducts', { Page: '2', PageSize: '2' })).json() as { paging: unknown; products: unknown[] };
    expect(page2.paging).toEqual({ page: 2, totalCount: 5, totalPages: 3 });
    expect(page2.products).toHaveLength(2);
    const id = all.products[0]!.id;
    expect((await call('GetProduct', { ProductId: id })).json()).toEqual(all.products[0]);
    const missing = await call('GetProduct', { ProductId: 'x' });
    expect([missing.status, missing.text]).toEqual([404, 'Der Artikel wurde nicht gefunden']);
    const profiles = (await call('GetShippingProfiles')).json() as { Id: string; Name: string }[];
    expect(profiles).toEqual(expect.arrayContaining([{ Id: 'dhl-paket', Name: 'DHL Paket' }]));
  });

  it('CONN-3: the order feed creates orders continuously until stopped', async () => {
    await admin(h, 'POST', '/shops', { shopId: 'laden-feed', key: 'k' });
    expect((await admin(h, 'POST', '/shops/laden-feed/feed', { intervalMs: 20 })).body).toEqual({ running: true, intervalMs: 20 });
    // Wait for orders instead of a fixed time: on a busy machine timers fire late.
    for (let i = 0; i < 100 && (await admin(h, 'GET', '/shops/laden-feed')).body.orders < 3; i++)
      await new Promise((r) => setTimeout(r, 20));
    await admin(h, 'DELETE', '/shops/laden-feed/feed');
    const count = (await admin(h, 'GET', '/shops/laden-feed')).body.orders;
    expect(count).toBeGreaterThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 60));
    expect((await admin(h, 'GET', '/shops/laden-feed')).body.orders).toBe(count);
  });

  it('admin: bad bodies get 400, duplicate shops 409, reset removes shops created at runtime', async () => {
    expect((await admin(h, 'POST', '/shops', { shopId: 'bad id', key: 'k' })).status).toBe(400);
    expect((await admin(h, 'POST', '/shops', { shopId: 'dup', key: 'k' })).status).toBe(201);
    expect((await admin(h, 'POST', '/shops', { shopId: 'dup', key: 'k' })).status).toBe(409);
    await admin(h, 'POST', '/reset');
    expect((await admin(h, 'GET', '/shops')).body).toEqual([]);
    expect((await fetch(`${h.server.url}/shops/dup/api?Action=GetOrders`)).status).toBe(404);
  });
});
