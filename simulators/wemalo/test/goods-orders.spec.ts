import { goodsOrder, product, startWemalo, type Harness } from './harness';

describe('wemalo simulator: goods orders', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startWemalo();
    await h.call('POST', '/product/addMultiple', { products: [product(1), product(2)] });
  });
  afterEach(async () => h.close());

  const status = async (externalId: string) => (await h.call('GET', `/goodsOrder/getStatus/${externalId}`)).body;

  it('WEM-4: takes a goods order with known articles and reports it OPEN', async () => {
    const added = await h.call('POST', '/goodsOrder/add', goodsOrder('o-1', [{ externalId: 'art-1', quantity: 2 }]));
    expect(added.body).toEqual({ Success: true, id: expect.any(Number) });
    expect(await status('o-1')).toMatchObject({
      statusName: 'OPEN',
      statusId: '200',
      id: added.body.id,
      orderNumber: 'ON-o-1',
      Success: true,
    });

    const unknownArticle = await h.call('POST', '/goodsOrder/add', goodsOrder('o-2', [{ externalId: 'ghost', quantity: 1 }]));
    expect(unknownArticle.status).toBe(404);
    expect(unknownArticle.body).toMatchObject({ error: 'NOT_FOUND', field: 'extId' });

    const bySku = await h.call('POST', '/goodsOrder/add', {
      ...goodsOrder('o-3', []),
      positions: [{ sku: 'SKU-2', quantity: 1 }],
      meta: { ...goodsOrder('o-3', []).meta, externalIdMatch: 'sku' },
    });
    expect(bySku.status).toBe(200);

    const noZip = goodsOrder('o-4', [{ externalId: 'art-1', quantity: 1 }]);
    delete (noZip.meta.receiver[0] as Record<string, unknown>).zip;
    await h.call('POST', '/goodsOrder/add', noZip);
    expect(await status('o-4')).toMatchObject({
      statusName: 'PARTIAL',
      statusId: '100',
      reasonPartiallyReserved: expect.stringContaining('zip'),
    });
  });

  it('WEM-6: ships through picking and packing; sent packages carry tracking number, carrier and profile name until marked synced', async () => {
    await h.call(
      'POST',
      '/goodsOrder/add',
      goodsOrder('o-1', [
        { externalId: 'art-1', quantity: 1 },
        { externalId: 'art-2', quantity: 3 },
      ]),
    );
    for (const to of ['INPROCESS', 'READYFORSHIPMENT', 'PACKED']) {
      expect((await h.admin('POST', '/goodsOrders/o-1/advance', { to })).status).toBe(200);
      expect((await status('o-1')).statusName).toBe(to);
    }
    expect((await h.call('GET', '/goodsOrder/packages/sent/')).body.bookings).toEqual([]);

    const shipped = await h.admin('POST', '/goodsOrders/o-1/advance', {
      to: 'SHIPPED',
      parcels: [
        { trackingNumber: '003404341111', returnLabel: true },
        { carrier: 'DPD', profileName: 'DPD Classic', trackingNumber: '0150999' },
      ],
    });
    expect(shipped.body).toMatchObject({ statusName: 'SHIPPED', statusId: '500' });

    const sent = await h.call('GET', '/goodsOrder/packages/sent/?externalId=o-1');
    expect(sent.body).toMatchObject({ page: 0, additionalPage: false, Success: true });
    expect(sent.body.bookings).toEqual([
      expect.objectContaining({
        externalGoodsOrderId: 'o-1',
        trackingNumber: '003404341111',
        dispatcherName: 'DHL',
        profileName: 'DHL Paket National',
        sku: 'SKU-1',
        count: 1,
        orderStatusId: 500,
      }),
      expect.objectContaining({ trackingNumber: '0150999', dispatcherName: 'DPD', profileName: 'DPD Classic', sku: 'SKU-2', count: 3 }),
    ]);
    expect(sent.body.bookings[0].bookingDate).toMatch(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/);

    const packages = await h.call('GET', '/goodsOrder/packages?externalOrderId=o-1');
    expect(packages.body.packages).toHaveLength(2);
    expect(packages.body.packages[0].returnTrackingNumber).toMatch(/^00340434\d{12}$/);
    const parcelId = packages.body.packages[1].id;
    expect((await h.call('GET', `/goodsOrder/package/${parcelId}/trackingNumber`)).body).toEqual({
      trackingNumber: '0150999',
      profileName: 'DPD Classic',
      carrier: 'DPD',
      Success: true,
    });

    const first = sent.body.bookings[0].historyId;
    expect((await h.call('PUT', `/goodsOrder/packages/sent/${first}`)).body).toEqual({ Success: true, status: 200 });
    const rest = await h.call('GET', '/goodsOrder/packages/sent/');
    expect(rest.body.bookings.map((b: { historyId: number }) => b.historyId)).not.toContain(first);
    expect(rest.body.bookings).toHaveLength(1);
    const all = await h.call('GET', '/goodsOrder/sentPackages/?externalId=o-1');
    expect(all.body.bookings).toHaveLength(2);

    const received = await h.admin('GET', '/received');
    expect(received.body.counts).toMatchObject({ goodsOrders: 1, syncedMarks: 1, unsyncedBookings: 1 });
    expect(received.body.syncedMarks).toEqual([expect.objectContaining({ bookingId: first, externalGoodsOrderId: 'o-1' })]);
  });

  it('WEM-5: cancels or replaces an order only before it is in progress', async () => {
    await h.call('POST', '/goodsOrder/add', goodsOrder('o-1', [{ externalId: 'art-1', quantity: 1 }]));
    await h.call('POST', '/goodsOrder/add', goodsOrder('o-2', [{ externalId: 'art-1', quantity: 1 }]));

    const replaced = await h.call('POST', '/goodsOrder/add', goodsOrder('o-1', [{ externalId: 'art-2', quantity: 4 }]));
    expect(replaced.status).toBe(200);
    const cancelled = await h.call('PUT', '/goodsOrder/cancel/o-1', { reason: 'customer changed mind' });
    expect(cancelled.body).toMatchObject({ Success: true, statusName: 'CANCELLED' });
    expect((await status('o-1')).statusName).toBe('CANCELLED');

    await h.admin('POST', '/goodsOrders/o-2/advance', { to: 'INPROCESS' });
    const refused = await h.call('PUT', '/goodsOrder/cancel/o-2', { reason: 'too late' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ Success: false, error: 'INVALID' });
    expect((await status('o-2')).statusName).toBe('INPROCESS');
    const resend = await h.call('POST', '/goodsOrder/add', goodsOrder('o-2', [{ externalId: 'art-2', quantity: 1 }]));
    expect(resend.status).toBe(409);

    const received = await h.admin('GET', '/received');
    expect(received.body.counts).toMatchObject({ goodsOrders: 2, goodsOrderSubmissions: 3, cancellations: 1, refusedCancellations: 1 });
    expect(received.body.goodsOrders.find((o: { externalId: string }) => o.externalId === 'o-1').positions).toEqual([
      expect.objectContaining({ externalId: 'art-2', quantity: 4 }),
    ]);
  });

  it('auto-fulfil demo mode ships new orders with a DHL parcel and return label; reset empties everything', async () => {
    await h.admin('POST', '/auto-fulfil', { seconds: 0.2 });
    await h.call('POST', '/goodsOrder/add', goodsOrder('o-auto', [{ externalId: 'art-1', quantity: 1 }]));
    const start = Date.now();
    while ((await status('o-auto')).statusName !== 'SHIPPED') {
      if (Date.now() - start > 3000) throw new Error('not shipped in time');
      await new Promise((r) => setTimeout(r, 25));
    }
    const packages = (await h.call('GET', '/goodsOrder/packages?externalOrderId=o-auto')).body.packages;
    expect(packages).toEqual([
      expect.objectContaining({ carrier: 'DHL', profileName: 'DHL Paket National', returnTrackingNumber: expect.any(String) }),
    ]);

    expect((await h.admin('POST', '/reset')).status).toBe(204);
    expect((await h.admin('GET', '/received')).body.counts).toMatchObject({ products: 0, goodsOrders: 0 });
  });
});
