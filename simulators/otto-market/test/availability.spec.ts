import { accessToken, admin, api, startSimulator, type Harness } from './support';

describe('otto-market simulator: availability and products', () => {
  let h: Harness;
  let otto: ReturnType<typeof api>;
  let skus: string[];
  beforeEach(async () => {
    h = await startSimulator();
    otto = api(h.url, await accessToken(h.url));
    skus = (await otto.get('/v5/products?limit=100')).body.productVariations.map((p: { sku: string }) => p.sku);
  });
  afterEach(() => h.close());

  it('OTTO-12: stock update for known SKUs is 200, with an unknown SKU 207 multi-status', async () => {
    const ok = await otto.post('/v1/availability/quantities', [{ sku: skus[0], quantity: 7 }]);
    expect(ok.status).toBe(200);
    const partial = await otto.post('/v1/availability/quantities', [
      { sku: skus[1], quantity: 3 },
      { sku: 'NO-SUCH-SKU', quantity: 1 },
    ]);
    expect(partial.status).toBe(207);
    expect(partial.body.results).toEqual([expect.objectContaining({ sku: skus[1], quantity: 3 })]);
    expect(partial.body.errors).toEqual([expect.objectContaining({ code: 404, path: '/v1/availability/quantities/NO-SUCH-SKU' })]);
    expect((await otto.get(`/v1/availability/quantities/${skus[0]}`)).body.quantity).toBe(7);
    const pushes = await admin(h.url, 'GET', '/stock-updates');
    expect(pushes).toHaveLength(2);
    expect(pushes[1]).toMatchObject({ acceptedSkus: [skus[1]], rejectedSkus: ['NO-SUCH-SKU'] });
  });

  it('OTTO-12: more than 200 entries is 413, an empty list or negative quantity 422, not an array 400', async () => {
    const tooMany = Array.from({ length: 201 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1 }));
    expect((await otto.post('/v1/availability/quantities', tooMany)).status).toBe(413);
    expect((await otto.post('/v1/availability/quantities', [])).status).toBe(422);
    expect((await otto.post('/v1/availability/quantities', [{ sku: skus[0], quantity: -1 }])).status).toBe(422);
    expect((await otto.post('/v1/availability/quantities', { sku: skus[0], quantity: 1 })).status).toBe(400);
    expect(await admin(h.url, 'GET', '/stock-updates')).toHaveLength(0);
  });

  it('OTTO-12: products are paged with page/limit and links', async () => {
    expect(skus).toHaveLength(10);
    const first = await otto.get('/v5/products?limit=4');
    expect(first.body.productVariations).toHaveLength(4);
    expect(first.body.links).toEqual([{ rel: 'next', href: '/v5/products?page=1&limit=4' }]);
    const last = await otto.get('/v5/products?page=2&limit=4');
    expect(last.body.productVariations).toHaveLength(2);
    expect(last.body.links.find((l: { rel: string }) => l.rel === 'next')).toBeUndefined();
    expect((await otto.get(`/v5/products/${skus[0]}`)).body.sku).toBe(skus[0]);
  });
});
