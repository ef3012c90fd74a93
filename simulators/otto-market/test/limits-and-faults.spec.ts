import { accessToken, admin, api, startSimulator, type Harness } from './support';

describe('otto-market simulator: rate limit and fault injection', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSimulator();
  });
  afterEach(() => h.close());

  it('OTTO-12: more than 20 requests per second on one token get 429 with Retry-After', async () => {
    const otto = api(h.url, await accessToken(h.url));
    // The test clock stands still, so the bucket does not refill during the burst.
    const statuses = [];
    for (let i = 0; i < 21; i++) statuses.push((await otto.get('/v4/orders?limit=1')).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    const limited = await otto.get('/v4/orders?limit=1');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another token has its own bucket; a second later the first one passes again.
    expect((await api(h.url, await accessToken(h.url)).get('/v4/orders')).status).toBe(200);
    h.clock.advance(1000);
    expect((await otto.get('/v4/orders?limit=1')).status).toBe(200);
  });

  it('fault injection: a 503 phase, then malformed JSON, then normal answers; calls are counted', async () => {
    const otto = api(h.url, await accessToken(h.url));
    await admin(h.url, 'POST', '/faults', { pathPrefix: '/v4/orders', failNext: 2, errorStatus: 503 });
    expect((await fetch(`${h.url}/v4/orders`)).status).toBe(503);
    expect((await fetch(`${h.url}/v4/orders`)).status).toBe(503);
    await admin(h.url, 'POST', '/faults', { pathPrefix: '/v4/orders', malformedNext: 1 });
    const malformed = await fetch(`${h.url}/v4/orders`, { headers: { authorization: 'Bearer x' } });
    await expect(malformed.json()).rejects.toThrow();
    expect((await otto.get('/v4/orders')).status).toBe(200);
    expect((await admin(h.url, 'GET', '/calls'))['GET /v4/orders']).toBe(4);
  });

  it('admin reset forgets orders but keeps the seller; continuous mode creates orders', async () => {
    await admin(h.url, 'POST', '/orders/generate', { count: 3 });
    await admin(h.url, 'POST', '/reset', {});
    expect(await admin(h.url, 'GET', '/orders')).toHaveLength(0);
    await admin(h.url, 'POST', '/continuous', { intervalMs: 10 });
    await new Promise((resolve) => setTimeout(resolve, 80));
    const status = await admin(h.url, 'DELETE', '/continuous');
    expect(status.running).toBe(false);
    expect((await admin(h.url, 'GET', '/orders')).length).toBeGreaterThan(0);
    const otto = api(h.url, await accessToken(h.url));
    expect((await otto.get('/v4/orders')).body.resources.length).toBeGreaterThan(0);
  });
});
