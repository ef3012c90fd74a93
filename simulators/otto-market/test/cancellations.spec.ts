import { accessToken, admin, api, dhlShipment, generateOrders, startSimulator, type Harness } from './support';

describe('otto-market simulator: partner cancellations', () => {
  let h: Harness;
  let otto: ReturnType<typeof api>;
  beforeEach(async () => {
    h = await startSimulator();
    otto = api(h.url, await accessToken(h.url));
  });
  afterEach(() => h.close());

  it('OTTO-8: cancelling a whole order cancels its PROCESSABLE items as CANCELLED_BY_PARTNER, recorded once', async () => {
    const [order] = await generateOrders(h.url, 1, 'PROCESSABLE');
    const res = await otto.post(`/v4/orders/${order.salesOrderId}/cancellation`);
    expect(res.status).toBe(200);
    const after = await otto.get(`/v4/orders/${order.salesOrderId}`);
    for (const item of after.body.positionItems) {
      expect(item.fulfillmentStatus).toMatch(/^CANCELLED_BY_(PARTNER|MARKETPLACE)$/);
      if (item.fulfillmentStatus === 'CANCELLED_BY_PARTNER') expect(item.cancellationReason).toBe('CANCELLED_ON_PARTNER_WISH');
    }
    const received = await admin(h.url, 'GET', '/cancellations');
    expect(received).toEqual([expect.objectContaining({ kind: 'order', salesOrderIds: [order.salesOrderId] })]);
    // Nothing PROCESSABLE left: a second call is a conflict and changes nothing.
    expect((await otto.post(`/v4/orders/${order.salesOrderId}/cancellation`)).status).toBe(409);
    expect(await admin(h.url, 'GET', '/cancellations')).toHaveLength(1);
  });

  it('OTTO-10: ANNOUNCED or SENT orders cannot be cancelled by the partner (409)', async () => {
    const [announced, shipped] = [(await generateOrders(h.url, 1, 'ANNOUNCED'))[0], (await generateOrders(h.url, 1, 'PROCESSABLE'))[0]];
    const announcedRes = await otto.post(`/v4/orders/${announced.salesOrderId}/cancellation`);
    expect(announcedRes.status).toBe(409);
    expect(announcedRes.body.errors[0].path).toBe(`/v4/orders/${announced.salesOrderId}/cancellation`);

    const items = shipped.positionItems
      .filter((i: { fulfillmentStatus: string }) => i.fulfillmentStatus === 'PROCESSABLE')
      .map((i: { positionItemId: string }) => ({ positionItemId: i.positionItemId, salesOrderId: shipped.salesOrderId }));
    expect((await otto.post('/v1/shipments', dhlShipment(items))).status).toBe(201);
    expect((await otto.post(`/v4/orders/${shipped.salesOrderId}/cancellation`)).status).toBe(409);
    const itemRes = await otto.post(`/v4/orders/${shipped.salesOrderId}/positionItems/${items[0].positionItemId}/cancellation`);
    expect(itemRes.status).toBe(409);
    expect(await admin(h.url, 'GET', '/cancellations')).toHaveLength(0);
  });

  it('OTTO-8: position item cancellation is all or nothing', async () => {
    const [order] = await generateOrders(h.url, 1, 'ANNOUNCED');
    const first = order.positionItems[0].positionItemId;
    await admin(h.url, 'POST', `/orders/${order.salesOrderId}/transition`, { to: 'PROCESSABLE', positionItemIds: [first] });
    const ids = order.positionItems.map((i: { positionItemId: string }) => i.positionItemId);
    if (ids.length > 1) {
      expect((await otto.post(`/v4/orders/${order.salesOrderId}/positionItems/${ids.join(',')}/cancellation`)).status).toBe(409);
    }
    expect((await otto.post(`/v4/orders/${order.salesOrderId}/positionItems/${first}/cancellation`)).status).toBe(200);
    const after = await otto.get(`/v4/orders/${order.salesOrderId}`);
    expect(after.body.positionItems.find((i: { positionItemId: string }) => i.positionItemId === first).fulfillmentStatus).toBe(
      'CANCELLED_BY_PARTNER',
    );
  });
});
