import { formatFromDate } from '../src/wemalo-dates';
import { product, startWemalo, type Harness } from './harness';

describe('wemalo simulator: products', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startWemalo();
  });
  afterEach(async () => h.close());

  it('WEM-3: refuses a new product whose SKU or EAN another product already holds', async () => {
    expect((await h.call('POST', '/product/add', product(1))).body).toEqual({ Success: true, status: 200 });
    const sameSku = await h.call('POST', '/product/add', product(2, { sku: 'SKU-1' }));
    expect(sameSku.status).toBe(400);
    expect(sameSku.body).toMatchObject({ Success: false, error: 'INVALID', field: 'sku' });
    const sameEan = await h.call('POST', '/product/add', product(3, { ean2: product(1).ean }));
    expect(sameEan.body).toMatchObject({ error: 'INVALID', field: 'ean' });
    const missingGroup = await h.call('POST', '/product/add', product(4, { productGroup: undefined }));
    expect(missingGroup.body).toMatchObject({ error: 'MISSING_PARAMETER', field: 'productGroup' });
    expect((await h.admin('GET', '/received')).body.counts.products).toBe(1);
  });

  it('WEM-3: takes changes except a taken SKU/EAN, and ignores dimensions after the first import', async () => {
    await h.call('POST', '/product/addMultiple', { products: [product(1), product(2)] });
    const taken = await h.call('PUT', '/product/update/art-2', { sku: 'SKU-1' });
    expect(taken.status).toBe(400);
    const takenEan = await h.call('PUT', '/product/update/art-2', { ean: product(1).ean });
    expect(takenEan.body).toMatchObject({ field: 'ean' });

    const changed = await h.call('PUT', '/product/update/art-2', { name: 'Neuer Name', sku: 'SKU-2b', depth: 99 });
    expect(changed.body).toEqual({ Success: true, status: 200, ignoredFields: ['depth'] });
    const got = await h.call('GET', '/product/get/art-2');
    expect(got.body).toMatchObject({ externalId: 'art-2', sku: 'SKU-2b', name: 'Neuer Name', depth: 10, Success: true });

    const unknown = await h.call('GET', '/product/get/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'NOT_FOUND', field: 'extId' });
  });

  it('addMultiple stores the valid products and lists the refused ones', async () => {
    const res = await h.call('POST', '/product/addMultiple', { products: [product(1), product(2, { sku: 'SKU-1' }), product(3)] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ added: 2, errors: [{ index: 1, externalId: 'art-2', field: 'sku' }] });
  });

  it('getAll filters by fromDate in ddMMyyyyHH and refuses other formats', async () => {
    await h.call('POST', '/product/add', product(1));
    const hourAgo = formatFromDate(new Date(Date.now() - 3600_000));
    const inAnHour = formatFromDate(new Date(Date.now() + 3600_000));
    expect((await h.call('GET', `/product/getAll?fromDate=${hourAgo}`)).body.products).toHaveLength(1);
    expect((await h.call('GET', `/product/getAll?fromDate=${inAnHour}`)).body.products).toHaveLength(0);
    const bad = await h.call('GET', '/product/getAll?fromDate=2025-01-01');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ field: 'fromDate' });
  });
});
