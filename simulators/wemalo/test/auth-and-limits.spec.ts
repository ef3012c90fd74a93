import { goodsOrder, product, startWemalo, type Harness } from './harness';

describe('wemalo simulator: token and call limits', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('WEM-1: refuses a wrong or missing token with 401 in wemalo error shape', async () => {
    h = await startWemalo();
    const wrong = await h.call('GET', '/product/getAll', undefined, 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ Success: false, status: 401, error: 'UNAUTHORIZED' });

    const res = await fetch(`${h.server.url}/v1/product/getAll`, { headers: { authorization: 'Bearer test-wemalo-token' } });
    expect(res.status).toBe(401);

    const ok = await h.call('GET', '/product/getAll');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ products: [], Success: true });
  });

  it('WEM-1: a locked account answers 401 to its own token until unlocked; a replaced token stops working', async () => {
    h = await startWemalo();
    expect((await h.admin('POST', '/access', { locked: true })).body).toEqual({ locked: true });
    const locked = await h.call('POST', '/goodsOrder/add', goodsOrder('o-locked', [{ externalId: 'art-1', quantity: 1 }]));
    expect(locked.status).toBe(401);
    expect(locked.body).toMatchObject({ Success: false, error: 'UNAUTHORIZED' });
    expect(h.sim.warehouse.receivedOrders).toHaveLength(0);

    await h.admin('POST', '/access', { locked: false });
    expect((await h.call('GET', '/product/shop')).status).toBe(200);
    await h.admin('POST', '/access', { token: 'issued-later' });
    expect((await h.call('GET', '/product/shop')).status).toBe(401);
    expect((await h.call('GET', '/product/shop', undefined, 'issued-later')).status).toBe(200);
  });

  it('WEM-2: answers 419 with the x-wemalo-limit headers once the call budget is used up', async () => {
    h = await startWemalo({ rateLimit: { perSecond: 0.5, burst: 3 } });
    const statuses: number[] = [];
    const remaining: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await h.call('GET', '/product/shop');
      statuses.push(res.status);
      remaining.push(res.headers.get('x-wemalo-limit-remainingcall') ?? '');
      expect(res.headers.get('x-wemalo-limit-maxcall')).toBe('3');
    }
    expect(statuses).toEqual([200, 200, 200, 419]);
    expect(remaining).toEqual(['2', '1', '0', '0']);
    const limited = await h.call('PUT', '/goodsOrder/cancel/x', { reason: 'r' });
    expect(limited.status).toBe(419);
    expect(limited.body).toMatchObject({ Success: false, status: 419, error: 'LIMIT' });
  });

  it('counts calls per path through the shared sim-kit admin API', async () => {
    h = await startWemalo();
    await h.call('POST', '/product/add', product(1));
    await h.call('POST', '/goodsOrder/add', goodsOrder('o-1', [{ externalId: 'art-1', quantity: 1 }]));
    const calls = await h.admin('GET', '/calls');
    expect(calls.body).toMatchObject({ 'POST /v1/product/add': 1, 'POST /v1/goodsOrder/add': 1 });
  });
});
