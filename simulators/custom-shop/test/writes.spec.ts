import { admin, callShop, startSimulator, T0_MS, type Harness } from './support/harness';

const SHOP = { shopId: 'ssp-writes', key: 'writes-key', products: 3, orders: 2 };

describe('custom-shop simulator: AckOrder / SetOrderState / SetStock (form-encoded POST)', () => {
  let h: Harness;
  let orderId: string;
  let productId: string;
  beforeAll(async () => {
    h = await startSimulator({ shops: [SHOP] });
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    h.clock.ms = T0_MS;
    await admin(h, 'POST', '/reset');
    orderId = (await admin(h, 'GET', `/shops/${SHOP.shopId}/orders`)).body[0].order.order_id;
    productId = (await admin(h, 'GET', `/shops/${SHOP.shopId}/products`)).body[0].id;
  });

  const post = (action: string, form: Record<string, string>) => callShop(h, { shopId: SHOP.shopId, shopKey: SHOP.key, action, form });
  const received = async () => (await admin(h, 'GET', `/shops/${SHOP.shopId}/received`)).body;

  it('SSP-3: AckOrder answers {} and every ack is recorded (so tests can count them)', async () => {
    const res = await post('AckOrder', { OrderId: orderId });
    expect([res.status, res.text]).toEqual([200, '{}']);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    await post('AckOrder', { OrderId: orderId });
    expect((await received()).acks.map((a: { orderId: string }) => a.orderId)).toEqual([orderId, orderId]);
    const shop = await admin(h, 'GET', `/shops/${SHOP.shopId}`);
    expect(shop.body.acknowledgedOrders).toBe(1);
  });

  it('SSP-3: a JSON body is not understood: 400 "Es wurde keine OrderId übergeben", nothing recorded', async () => {
    const res = await callShop(h, { shopId: SHOP.shopId, shopKey: SHOP.key, action: 'AckOrder', json: { OrderId: orderId } });
    expect([res.status, res.text]).toEqual([400, 'Es wurde keine OrderId übergeben']);
    expect((await received()).acks).toEqual([]);
  });

  it('SSP-3: AckOrder of an unknown order gets 404 in German', async () => {
    const res = await post('AckOrder', { OrderId: '999999' });
    expect([res.status, res.text]).toEqual([404, 'Die Bestellung wurde nicht gefunden']);
  });

  it('SSP-3: SetOrderState records state id, name, comment, carrier and tracking, and the order changes', async () => {
    const res = await post('SetOrderState', {
      OrderId: orderId,
      NewStateTypeId: '4',
      NewStateName: 'Versendet',
      NewStateId: 'Versendet',
      Comment: 'Paket ist unterwegs',
      ShippingCarrier: 'dhl',
      TrackingCode: '00340434161234567890',
      TrackingUrl: 'https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=00340434161234567890',
    });
    expect([res.status, res.text]).toEqual([200, '{}']);
    const [change] = (await received()).stateChanges;
    expect(change).toEqual(
      expect.objectContaining({
        orderId,
        newStateTypeId: 4,
        newStateName: 'Versendet',
        newStateId: 'Versendet',
        comment: 'Paket ist unterwegs',
        shippingCarrier: 'dhl',
        trackingCode: '00340434161234567890',
      }),
    );
    const order = await callShop(h, { shopId: SHOP.shopId, shopKey: SHOP.key, action: 'GetOrder', query: { OrderId: orderId } });
    const body = order.json() as { order_status_id: number; ship_date: string; order_history: { comment: string }[] };
    expect(body.order_status_id).toBe(4);
    expect(body.ship_date).toMatch(/\+0[12]00$/);
    expect(new Date(body.ship_date.replace(/(\d{2})(\d{2})$/, '$1:$2')).getTime()).not.toBeNaN();
    expect(body.order_history.at(-1)?.comment).toBe('Paket ist unterwegs');
  });

  it('SSP-3: SetOrderState without NewStateTypeId gets 400 in German and changes nothing', async () => {
    const res = await post('SetOrderState', { OrderId: orderId, NewStateName: 'Versendet' });
    expect([res.status, res.text]).toEqual([400, 'Es wurde keine NewStateTypeId übergeben']);
    expect((await received()).stateChanges).toEqual([]);
  });

  it('SSP-3: SetStock takes 0 and decimals, records them and updates the product', async () => {
    expect((await post('SetStock', { ProductId: productId, AvailableStock: '0' })).status).toBe(200);
    expect((await post('SetStock', { ProductId: productId, AvailableStock: '5.5' })).status).toBe(200);
    const updates = (await received()).stockUpdates;
    expect(updates.map((u: { availableStock: number; rawAvailableStock: string }) => [u.availableStock, u.rawAvailableStock])).toEqual([
      [0, '0'],
      [5.5, '5.5'],
    ]);
    const product = await callShop(h, { shopId: SHOP.shopId, shopKey: SHOP.key, action: 'GetProduct', query: { ProductId: productId } });
    expect((product.json() as { quantity: number }).quantity).toBe(5.5);
  });

  it('SSP-3: SetStock errors: missing AvailableStock 400, unknown product 404, both in German', async () => {
    const missing = await post('SetStock', { ProductId: productId });
    expect([missing.status, missing.text]).toEqual([400, 'Es wurde kein AvailableStock übergeben']);
    const unknown = await post('SetStock', { ProductId: 'nope', AvailableStock: '3' });
    expect([unknown.status, unknown.text]).toEqual([404, 'Der Artikel wurde nicht gefunden']);
    expect((await received()).stockUpdates).toEqual([]);
  });

  it('SSP-3: missing or unknown Action gets 400 in German; a write sent as GET is not accepted', async () => {
    const none = await callShop(h, { shopId: SHOP.shopId, shopKey: SHOP.key });
    expect([none.status, none.text]).toEqual([400, 'Keine Aktion übergeben.']);
    const unknown = await callShop(h, { shopId: SHOP.shopId, shopKey: SHOP.key, action: 'DeleteOrder' });
    expect([unknown.status, unknown.text]).toEqual([400, 'Diese Aktion ist nicht implementiert.']);
    const ackByGet = await callShop(h, { shopId: SHOP.shopId, shopKey: SHOP.key, action: 'AckOrder', query: { OrderId: orderId } });
    expect(ackByGet.status).toBe(400);
    expect((await received()).acks).toEqual([]);
  });
});
