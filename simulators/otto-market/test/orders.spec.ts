import { accessToken, admin, api, generateOrders, startSimulator, type Harness } from './support';

describe('otto-market simulator: GET /v4/orders', () => {
  let h: Harness;
  let otto: ReturnType<typeof api>;
  beforeEach(async () => {
    h = await startSimulator();
    otto = api(h.url, await accessToken(h.url));
  });
  afterEach(() => h.close());

  it('OTTO-12: pages through all orders with nextcursor and links[rel=next]', async () => {
    const created = await generateOrders(h.url, 7);
    const seen: string[] = [];
    let path: string | undefined = '/v4/orders?limit=3';
    let pages = 0;
    while (path) {
      const res = await otto.get(path);
      expect(res.status).toBe(200);
      seen.push(...res.body.resources.map((o: { salesOrderId: string }) => o.salesOrderId));
      const next = res.body.links.find((l: { rel: string }) => l.rel === 'next');
      path = next?.href;
      if (next) expect(next.href).toMatch(/^\/v4\/orders\?nextcursor=/);
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(created.map((o) => o.salesOrderId).sort());
  });

  it('OTTO-12: limit above 128 is a 400, 128 is fine', async () => {
    const tooMany = await otto.get('/v4/orders?limit=129');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0]).toMatchObject({ path: '/v4/orders', jsonPath: 'limit' });
    expect((await otto.get('/v4/orders?limit=128')).status).toBe(200);
  });

  it('OTTO-9: position items are single pieces with their own status; BUCKET filter by status', async () => {
    await generateOrders(h.url, 3, 'PROCESSABLE');
    const [announced] = await generateOrders(h.url, 1, 'ANNOUNCED');
    const list = await otto.get('/v4/orders?fulfillmentStatus=ANNOUNCED');
    expect(list.body.resources.map((o: { salesOrderId: string }) => o.salesOrderId)).toEqual([announced.salesOrderId]);
    const both = await otto.get('/v4/orders?fulfillmentStatus=ANNOUNCED&fulfillmentStatus=PROCESSABLE');
    expect(both.body.resources).toHaveLength(4);
    for (const order of both.body.resources) {
      for (const item of order.positionItems) {
        expect(item).not.toHaveProperty('quantity');
        expect(item.fulfillmentStatus).toMatch(/^(ANNOUNCED|PROCESSABLE|CANCELLED_BY_MARKETPLACE)$/);
      }
    }
  });

  it('OTTO-9: ANNOUNCED orders have no address until an item turns PROCESSABLE, and lastModifiedDate moves', async () => {
    const [order] = await generateOrders(h.url, 1, 'ANNOUNCED');
    const before = await otto.get(`/v4/orders/${order.salesOrderId}`);
    expect(before.body.deliveryAddress).toBeUndefined();
    expect(before.body.invoiceAddress).toBeUndefined();
    expect(before.body.payment.paymentMethod).toBe('PREPAYMENT');

    h.clock.advance(60_000);
    await admin(h.url, 'POST', `/orders/${order.salesOrderId}/transition`, { to: 'PROCESSABLE' });
    const after = await otto.get(`/v4/orders/${order.orderNumber}`);
    expect(after.body.deliveryAddress).toMatchObject({ countryCode: 'DEU' });
    expect(after.body.positionItems.every((i: { fulfillmentStatus: string }) => i.fulfillmentStatus === 'PROCESSABLE')).toBe(true);
    expect(Date.parse(after.body.lastModifiedDate)).toBeGreaterThan(Date.parse(before.body.lastModifiedDate));

    // A poller asking for changes since its watermark sees exactly this order.
    const changed = await otto.get(`/v4/orders?fromDate=${encodeURIComponent(before.body.lastModifiedDate)}`);
    expect(changed.body.resources.map((o: { salesOrderId: string }) => o.salesOrderId)).toEqual([order.salesOrderId]);
  });

  it('OTTO-5/OTTO-6/OTTO-11: generated orders carry delivery fees, several dispatch dates and sometimes mixed currencies', async () => {
    const orders = await generateOrders(h.url, 60, 'PROCESSABLE');
    expect(orders.some((o) => o.initialDeliveryFees.length > 0 && o.initialDeliveryFees[0].deliveryFeeAmount.amount > 0)).toBe(true);
    expect(orders.some((o) => new Set(o.positionItems.map((i: { expectedDeliveryDate: string }) => i.expectedDeliveryDate)).size > 1)).toBe(
      true,
    );
    expect(
      orders.some(
        (o) => new Set(o.positionItems.map((i: { itemValueGrossPrice: { currency: string } }) => i.itemValueGrossPrice.currency)).size > 1,
      ),
    ).toBe(true);
    expect(
      orders.some((o) => o.positionItems.some((i: { fulfillmentStatus: string }) => i.fulfillmentStatus === 'CANCELLED_BY_MARKETPLACE')),
    ).toBe(true);
    expect(orders.every((o) => /^[A-Z0-9]{10}$/.test(o.orderNumber))).toBe(true);
  });

  it('unknown order is a 404 RESOURCE_NOT_FOUND', async () => {
    const res = await otto.get('/v4/orders/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.body.errors[0].title).toBe('RESOURCE_NOT_FOUND');
  });
});
