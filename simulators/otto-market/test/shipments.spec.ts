import { accessToken, admin, api, dhlShipment, generateOrders, startSimulator, type Harness } from './support';

describe('otto-market simulator: POST /v1/shipments', () => {
  let h: Harness;
  let otto: ReturnType<typeof api>;
  beforeEach(async () => {
    h = await startSimulator();
    otto = api(h.url, await accessToken(h.url));
  });
  afterEach(() => h.close());

  const shippable = (order: { salesOrderId: string; positionItems: { positionItemId: string; fulfillmentStatus: string }[] }) =>
    order.positionItems
      .filter((i) => i.fulfillmentStatus === 'PROCESSABLE')
      .map((i) => ({ positionItemId: i.positionItemId, salesOrderId: order.salesOrderId }));

  it('OTTO-3: a DHL shipment with return tracking keys marks the items SENT with trackingInfo, recorded once', async () => {
    const [order] = await generateOrders(h.url, 1, 'PROCESSABLE');
    const res = await otto.post('/v1/shipments', dhlShipment(shippable(order)));
    expect(res.status).toBe(201);
    expect(res.body.shipmentId).toEqual(expect.any(String));
    const after = await otto.get(`/v4/orders/${order.salesOrderId}`);
    for (const item of after.body.positionItems.filter(
      (i: { fulfillmentStatus: string }) => i.fulfillmentStatus !== 'CANCELLED_BY_MARKETPLACE',
    )) {
      expect(item).toMatchObject({ fulfillmentStatus: 'SENT', trackingInfo: { carrier: 'DHL', trackingNumber: '00340434161094042557' } });
    }
    const byKey = await otto.get('/v1/shipments/carriers/DHL/trackingnumbers/00340434161094042557');
    expect(byKey.body.shipmentId).toBe(res.body.shipmentId);
    const list = await otto.get('/v1/shipments?datefrom=2026-01-01');
    expect(list.body.resources).toHaveLength(1);
    expect(await admin(h.url, 'GET', '/shipments')).toHaveLength(1);
  });

  it('OTTO-3: validates carrier, missing tracking key and missing returnTrackingKey for parcel carriers', async () => {
    const [order] = await generateOrders(h.url, 1, 'PROCESSABLE');
    const body = dhlShipment(shippable(order));
    const badCarrier = await otto.post('/v1/shipments', { ...body, trackingKey: { carrier: 'POSTBOTE', trackingNumber: '1' } });
    expect(badCarrier.status).toBe(400);
    const { trackingKey: _dropped, ...withoutKey } = body;
    const missing = await otto.post('/v1/shipments', withoutKey);
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0]).toMatchObject({ title: 'PROPERTY_IS_MANDATORY', jsonPath: 'trackingKey', path: '/v1/shipments' });
    const noReturn = await otto.post('/v1/shipments', {
      ...body,
      positionItems: body.positionItems.map(({ returnTrackingKey: _r, ...item }) => item),
    });
    expect(noReturn.status).toBe(400);
    expect(noReturn.body.errors[0]).toMatchObject({ title: 'PROPERTY_IS_MANDATORY', jsonPath: 'positionItems[0].returnTrackingKey' });
    // Forwarders may omit both the tracking number and return tracking keys.
    const freight = await otto.post('/v1/shipments', {
      ...body,
      trackingKey: { carrier: 'OTHER_FORWARDER' },
      positionItems: body.positionItems.map(({ returnTrackingKey: _r, ...item }) => item),
    });
    expect(freight.status).toBe(201);
    expect(await admin(h.url, 'GET', '/shipments')).toHaveLength(1);
  });

  it('OTTO-4: a second shipment with the same tracking key or for already sent items is a 409', async () => {
    const [first, second] = await generateOrders(h.url, 2, 'PROCESSABLE');
    expect((await otto.post('/v1/shipments', dhlShipment(shippable(first)))).status).toBe(201);
    const duplicateKey = await otto.post('/v1/shipments', dhlShipment(shippable(second)));
    expect(duplicateKey.status).toBe(409);
    expect(duplicateKey.body.errors[0].title).toBe('DUPLICATE_TRACKING_KEY');
    const alreadySent = await otto.post('/v1/shipments', dhlShipment(shippable(first), '00340434161094099999'));
    expect(alreadySent.status).toBe(409);
    expect(alreadySent.body.errors[0].title).toBe('POSITION_ITEM_INCLUDED_IN_OTHER_SHIPMENT');
    expect(await admin(h.url, 'GET', '/shipments')).toHaveLength(1);
  });

  it('OTTO-9: ANNOUNCED items (no delivery address yet) cannot be shipped', async () => {
    const [order] = await generateOrders(h.url, 1, 'ANNOUNCED');
    const items = order.positionItems.map((i: { positionItemId: string }) => ({
      positionItemId: i.positionItemId,
      salesOrderId: order.salesOrderId,
    }));
    const res = await otto.post('/v1/shipments', dhlShipment(items));
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ title: 'POSITION_ITEM_NOT_PROCESSABLE', jsonPath: 'positionItems[0]' });
    expect(await admin(h.url, 'GET', '/shipments')).toHaveLength(0);
  });
});
