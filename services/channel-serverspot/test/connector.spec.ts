import { randomUUID } from 'node:crypto';
import { type Article, type Order, type OrderRawPayload, type Page, Rpc } from '@orderhub/contracts';
import { freePort, waitFor } from '@orderhub/testkit';
import { ACTOR, ShopSim, Stack } from './support/harness';

/**
 * channel-serverspot end to end: the Custom Shop simulator over HTTP, real NATS + FerretDB, the orders
 * service and the connector as processes (POLL_TICK_MS=200).
 */
describe('channel-serverspot connector', () => {
  let shop: ShopSim;
  let stack: Stack;
  let accountId: string;

  beforeAll(async () => {
    shop = await ShopSim.start();
    stack = await Stack.start('ssp');
    accountId = await stack.account('Händler');
  });
  afterAll(async () => {
    if (process.env.SSP_DEBUG)
      console.log(`--- connector ---\n${stack?.connector.logs().slice(-6000)}\n--- orders ---\n${stack?.orders.logs().slice(-4000)}\n`);
    await stack?.close();
    await shop?.close();
  });

  const settingsFor = (shopId: string, over: Record<string, unknown> = {}) => ({ apiUrl: shop.apiUrl(shopId), ...over });
  const secretsFor = (shopId: string) => ({ shopKey: `${shopId}-key` });
  const allImported = (connectionId: string, count: number) =>
    waitFor(
      async () => {
        const orders = await stack.listOrders(accountId, connectionId);
        return orders.length >= count ? orders : undefined;
      },
      { timeoutMs: 30_000, what: `${count} orders imported`, intervalMs: 250 },
    );
  const allAcked = (shopId: string) =>
    waitFor(async () => (await shop.shopOrders(shopId)).every((o) => o.acknowledged), { timeoutMs: 30_000, what: `acks in ${shopId}` });
  /** An order that came in earlier, handed in as a connector would (for connections that do not import now). */
  const handIn = (connectionId: string, externalId: string): Promise<Order> =>
    stack.importOrder(
      accountId,
      connectionId,
      'serverspot',
      {
        externalId,
        state: 3,
        orderedAt: new Date().toISOString(),
        currency: 'EUR',
        positions: [{ title: 'Becher', quantity: 1, unitPrice: 10, totalPrice: 10 }],
      },
      `test-import:${randomUUID()}`,
    );
  const ship = async (order: Order, trackingNumber = '00340434161094042557') => {
    await stack.call(Rpc.ordersAddShipment, { accountId, actor: ACTOR, body: { orderId: order.id, carrier: 'DHL', trackingNumber } });
    await stack.call(Rpc.ordersChangeState, { accountId, actor: ACTOR, body: { orderId: order.id, state: 4 } });
  };

  describe('connection check (Rpc.serverspotCheckConnection)', () => {
    beforeAll(async () => {
      await shop.createShop('check-ok');
      await shop.createShop('check-login', { basicAuth: { username: 'haendler@example.de', password: 'richtig' } });
      await shop.createShop('check-skew', { clockOffsetSeconds: 3600 });
    });
    const check = (body: Record<string, unknown>) =>
      stack.call<{ shippingProfiles: unknown[]; warnings: string[] }>(Rpc.serverspotCheckConnection, body, 20_000);
    const refused = (body: Record<string, unknown>) => stack.refusal(Rpc.serverspotCheckConnection, body, 20_000);

    it('SSP-1: accepts the right URL, key and login with a GetShippingProfiles call', async () => {
      const ok = await check({ apiUrl: shop.apiUrl('check-ok'), shopKey: 'check-ok-key' });
      expect(ok.shippingProfiles).toContainEqual({ id: 'dhl-paket', name: 'DHL Paket' });
      const login = await check({
        apiUrl: shop.apiUrl('check-login'),
        shopKey: 'check-login-key',
        basicAuthUser: 'haendler@example.de',
        basicAuthPassword: 'richtig',
      });
      expect(login.warnings).toEqual([]);
    });

    it('SSP-1: a wrong shop key is a clear 401 error on shopKey', async () => {
      const p = await refused({ apiUrl: shop.apiUrl('check-ok'), shopKey: 'falsch' });
      expect(p.status).toBe(422);
      expect(p.detail).toMatch(/shop key/);
      expect(p.errors?.map((e) => e.path)).toEqual(['shopKey']);
    });

    it('SSP-1: a wrong basic-auth password is a clear error naming the shop login', async () => {
      const p = await refused({
        apiUrl: shop.apiUrl('check-login'),
        shopKey: 'check-login-key',
        basicAuthUser: 'haendler@example.de',
        basicAuthPassword: 'falsch',
      });
      expect(p.detail).toMatch(/basic-auth user or password/);
      expect(p.errors?.[0]?.path).toBe('basicAuthPassword');
    });

    it('SSP-1: a shop clock skewed beyond the Key window is reported as clock skew, not as a wrong key', async () => {
      const p = await refused({ apiUrl: shop.apiUrl('check-skew'), shopKey: 'check-skew-key' });
      expect(p.detail).toMatch(/clock is about (50|67) minutes ahead/);
    });

    it('SSP-1: a wrong URL (404, nothing listening) is a clear error on apiUrl', async () => {
      const notFound = await refused({ apiUrl: shop.apiUrl('no-such-shop'), shopKey: 'x' });
      expect(notFound.detail).toMatch(/no Custom Shop API/i);
      expect(notFound.errors?.[0]?.path).toBe('apiUrl');
      const down = await refused({ apiUrl: `http://127.0.0.1:${await freePort()}/billbee_api`, shopKey: 'x' });
      expect(down.detail).toMatch(/could not be reached.*connection refused/);
    });
  });

  it('SSP-1: imports with the price-adjustment article, payment due days, payment names, shipping cost and comments', async () => {
    await shop.createShop('ssp1', { orders: 0 });
    const orderDate = new Date(Math.floor(Date.now() / 1000) * 1000 - 2 * 86_400_000);
    await shop.admin('POST', '/shops/ssp1/orders', {
      order_id: 'A-1',
      order_date: orderDate.toISOString(),
      pay_date: new Date(orderDate.getTime() + 300_000).toISOString(),
      payment_method: 3,
      order_status_id: 3,
      ship_cost: 4.9,
      vat_id: 'DE123456789',
      shippingprofile_id: 'super-fast',
      nick_name: 'GirlWhoCanFly',
      delivery_source_country_code: 'AT',
      order_products: [
        {
          product_id: '5001',
          sku: 'SKU-5001',
          ean: '4006381333931',
          name: 'Becher',
          quantity: 2,
          unit_price: 12.5,
          tax_rate: 19,
          discount_percent: 10,
        },
        { name: 'Gutschein SOMMER5', quantity: 1, unit_price: -5, tax_rate: 19 },
      ],
      add_comment: { comment: 'Bitte nicht vor 14 Uhr liefern.', name: 'Jörg Müller', from_customer: true },
      seller_comment: 'Stammkunde',
    });
    const connectionId = await stack.connection(
      accountId,
      settingsFor('ssp1', { priceAdjustmentArticleSku: 'PREISANPASSUNG', paymentDueDays: 10 }),
      secretsFor('ssp1'),
    );
    const order = await waitFor(() => stack.findOrder(accountId, connectionId, 'A-1'), { timeoutMs: 20_000, what: 'A-1 imported' });
    expect(order).toMatchObject({
      channel: 'serverspot',
      state: 3,
      shippingCost: 4.9,
      paymentMethod: 'PayPal',
      payByDate: new Date(orderDate.getTime() + 10 * 86_400_000).toISOString(),
    });
    // issue 15: what the shop sends for reverse-charge invoices, shipping and stock is kept where the order has a place
    expect(order).toMatchObject({ vatId: 'DE123456789', shippingProfileId: 'super-fast', deliverySourceCountryCode: 'AT' });
    expect(order.buyer?.nick).toBe('GirlWhoCanFly');
    expect(order.positions).toEqual([
      expect.objectContaining({ sku: 'SKU-5001', productId: '5001', ean: '4006381333931', quantity: 2, unitPrice: 12.5, totalPrice: 22.5 }),
      expect.objectContaining({ sku: 'PREISANPASSUNG', title: 'Gutschein SOMMER5', totalPrice: -5 }),
    ]);
    expect(order.comments).toEqual(
      expect.arrayContaining([expect.stringContaining('Bitte nicht vor 14 Uhr liefern.'), 'Seller note: Stammkunde']),
    );
    const raw = await stack.call<OrderRawPayload>(Rpc.ordersRawPayload, { accountId, actor: ACTOR, body: { orderId: order.id } });
    expect(JSON.parse(raw.rawPayload!)).toMatchObject({ order_id: 'A-1', vat_id: 'DE123456789', nick_name: 'GirlWhoCanFly' });
    await allAcked('ssp1');
  });

  it('SSP-2: with "lock positions / forbid invoices" positions cannot be edited and no invoice can be created', async () => {
    await shop.createShop('ssp2', { orders: 1 });
    const connectionId = await stack.connection(accountId, settingsFor('ssp2', { lockPositionsForbidInvoices: true }), secretsFor('ssp2'));
    const [order] = await allImported(connectionId, 1);
    expect(order!.positionsLocked).toBe(true);
    const invoice = await stack.refusal(Rpc.ordersCreateInvoice, { accountId, actor: ACTOR, body: { orderId: order!.id } });
    expect(invoice).toMatchObject({ status: 422, ruleId: 'SSP-2' });
    const edit = await stack.refusal(Rpc.ordersEditPositions, {
      accountId,
      actor: ACTOR,
      body: { orderId: order!.id, positions: [{ title: 'Anders', quantity: 1, unitPrice: 1, totalPrice: 1 }] },
    });
    expect(edit).toMatchObject({ status: 422, ruleId: 'SSP-2' });
  });

  describe('SSP-3 protocol', () => {
    let connectionId: string;
    let orders: Order[];
    let shipped: Order;
    let shippedAgain: Order;
    beforeAll(async () => {
      await shop.createShop('proto', { orders: 60, products: 8 });
      connectionId = await stack.connection(accountId, settingsFor('proto'), secretsFor('proto'));
      orders = await allImported(connectionId, 60);
      if (process.env.SSP_DEBUG)
        console.log(
          JSON.stringify((await shop.shopOrders('proto')).map((o) => [o.order.order_id, o.acknowledged])),
          (await shop.received('proto')).acks.length,
        );
      await allAcked('proto');
    });

    it('SSP-3: pages through GetOrders and acknowledges every order once it is persisted, each exactly once', async () => {
      expect(new Set(orders.map((o) => o.externalId)).size).toBe(60);
      const received = await shop.received('proto');
      expect(new Set(received.acks.map((a) => a.orderId)).size).toBe(60);
      expect(received.acks).toHaveLength(60);
      // a re-poll reads the overlap window again but neither re-submits nor re-acks unchanged orders
      await stack.trigger(accountId, connectionId);
      await new Promise((r) => setTimeout(r, 1500));
      expect((await shop.received('proto')).acks).toHaveLength(60);
      expect(await stack.listOrders(accountId, connectionId)).toHaveLength(60);
    });

    it('SSP-3: order.shipped sends SetOrderState 4 with tracking code and carrier', async () => {
      const order = orders.find((o) => o.state === 3)!;
      shipped = order;
      await ship(order);
      const change = await waitFor(async () => (await shop.received('proto')).stateChanges.find((c) => c.orderId === order.externalId), {
        what: 'SetOrderState',
      });
      expect(change).toMatchObject({
        newStateTypeId: 4,
        newStateName: 'Versendet',
        trackingCode: '00340434161094042557',
        shippingCarrier: 'DHL',
      });
      expect(change.trackingUrl).toContain('00340434161094042557');
      const ok = await stack.activity(accountId, order.id, (h) => h.outcome === 'ok' && /SetOrderState 4/.test(h.action), 'ok activity');
      expect(ok.detail).toMatch(/tracking code 00340434161094042557 \(DHL\)/);
    });

    it('SSP-3: a SetOrderState the shop took but never answered is not sent again when the event is redelivered', async () => {
      const order = orders.filter((o) => o.state === 3 && o.id !== shipped.id).at(-1)!;
      shippedAgain = order;
      shop.loseStateAnswersFor.add('proto');
      await ship(order, 'LOST-ANSWER-1');
      // The redelivery (backoff 1 s) asks the shop first, sees state 4 and records success without a second call.
      const ok = await stack.activity(accountId, order.id, (h) => h.outcome === 'ok' && /SetOrderState 4/.test(h.action), 'ok activity');
      expect(ok.detail).toMatch(/already shows state 4/);
      expect(shop.loseStateAnswersFor.has('proto')).toBe(false);
      const changes = (await shop.received('proto')).stateChanges.filter((c) => c.orderId === order.externalId);
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({ newStateTypeId: 4, trackingCode: 'LOST-ANSWER-1' });
    });

    it('SSP-3: order.cancelled and other state changes go to the shop as its state ids', async () => {
      const [a, b] = orders.filter((o) => (o.state === 3 || o.state === 1) && o.id !== shipped.id && o.id !== shippedAgain.id);
      await stack.call(Rpc.ordersCancel, { accountId, actor: ACTOR, body: { orderId: a!.id, reason: 'Kunde hat storniert' } });
      await stack.call(Rpc.ordersChangeState, { accountId, actor: ACTOR, body: { orderId: b!.id, state: 13 } });
      await waitFor(
        async () => {
          const changes = (await shop.received('proto')).stateChanges;
          return (
            changes.some((c) => c.orderId === a!.externalId && c.newStateTypeId === 8) &&
            changes.some((c) => c.orderId === b!.externalId && c.newStateTypeId === 13)
          );
        },
        { what: 'cancel + packed in the shop' },
      );
      const shopOrders = await shop.shopOrders('proto');
      expect(shopOrders.find((o) => o.order.order_id === a!.externalId)?.order.order_status_id).toBe(8);
      expect(shopOrders.find((o) => o.order.order_id === b!.externalId)?.order.order_status_id).toBe(13);
    });

    it('SSP-3: a refusal of the shop (unknown order) is recorded on the order, not retried', async () => {
      const order = await handIn(connectionId, 'GIBT-ES-NICHT');
      await ship(order, 'TRACK-404');
      const refused = await stack.activity(accountId, order.id, (h) => h.outcome === 'refused', 'refused activity');
      expect(refused.detail).toMatch(/does not know this order/);
    });

    it('SSP-3: article import (GetProducts) and SetStock on article.stock-changed, 0 included', async () => {
      const articles = await waitFor(
        async () => {
          const page = await stack.call<Page<Article>>(Rpc.articlesList, { accountId, actor: ACTOR, body: { sku: 'SKU-5003', limit: 10 } });
          return page.items.length ? page.items : undefined;
        },
        { what: 'article SKU-5003 imported' },
      );
      const article = articles[0]!;
      await stack.call(Rpc.articlesSetStock, {
        accountId,
        actor: ACTOR,
        body: { articleId: article.id, stock: [{ storageLocationId: 0, quantity: 7 }] },
      });
      await waitFor(async () => (await shop.received('proto')).stockUpdates.find((u) => u.productId === '5003' && u.availableStock === 7), {
        what: 'SetStock 7',
      });
      await stack.call(Rpc.articlesSetStock, {
        accountId,
        actor: ACTOR,
        body: { articleId: article.id, stock: [{ storageLocationId: 0, quantity: 0 }] },
      });
      const zero = await waitFor(
        async () => (await shop.received('proto')).stockUpdates.find((u) => u.productId === '5003' && u.availableStock === 0),
        { what: 'SetStock 0' },
      );
      expect(zero.rawAvailableStock).toBe('0');
    });
  });

  describe('CONN-4 sync directions', () => {
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      for (const direction of ['none', 'channelToHub', 'hubToChannel', 'both']) {
        await shop.createShop(`dir-${direction}`, { orders: 2, products: 3 });
        ids[direction] = await stack.connection(
          accountId,
          settingsFor(`dir-${direction}`, { syncDirection: direction }),
          secretsFor(`dir-${direction}`),
        );
      }
    });
    const firstShopOrderId = async (direction: string) => (await shop.shopOrders(`dir-${direction}`))[0]!.order.order_id as string;
    const stateChanges = async (direction: string) => (await shop.received(`dir-${direction}`)).stateChanges;

    it('CONN-4 both: imports orders and writes shipped back', async () => {
      const [order] = await allImported(ids.both!, 2);
      await allAcked('dir-both');
      await ship(order!);
      await waitFor(async () => (await stateChanges('both')).length === 1, { timeoutMs: 45_000, what: 'SetOrderState for both' });
    });

    it('CONN-4 channelToHub: imports orders, but a shipment is not written back (refusal recorded)', async () => {
      const [order] = await allImported(ids.channelToHub!, 2);
      await allAcked('dir-channelToHub');
      await ship(order!);
      const refused = await stack.activity(accountId, order!.id, (h) => h.outcome === 'refused', 'CONN-4 refusal');
      expect(refused.ruleId).toBe('CONN-4');
      expect(await stateChanges('channelToHub')).toEqual([]);
    });

    it('CONN-4 hubToChannel: never reads the shop, but writes states back', async () => {
      const order = await handIn(ids.hubToChannel!, await firstShopOrderId('hubToChannel'));
      await ship(order);
      await waitFor(async () => (await stateChanges('hubToChannel')).length === 1, {
        timeoutMs: 45_000,
        what: 'SetOrderState for hubToChannel',
      });
      expect((await shop.received('dir-hubToChannel')).acks).toEqual([]);
      expect((await stack.listOrders(accountId, ids.hubToChannel!)).map((o) => o.externalId)).toEqual([order.externalId]);
    });

    it('CONN-4 none: neither reads the shop nor writes to it', async () => {
      const order = await handIn(ids.none!, await firstShopOrderId('none'));
      await ship(order);
      const refused = await stack.activity(accountId, order.id, (h) => h.outcome === 'refused', 'CONN-4 refusal');
      expect(refused.ruleId).toBe('CONN-4');
      expect(await stateChanges('none')).toEqual([]);
      const calls = await shop.admin<Record<string, number>>('GET', '/calls');
      expect(Object.keys(calls).filter((k) => k.includes('/shops/dir-none/'))).toEqual([]);
    });

    it('CONN-4: SetStock goes to every hub→channel connection of the account, not to the others', async () => {
      const page = await waitFor(
        async () => {
          const p = await stack.call<Page<Article>>(Rpc.articlesList, { accountId, actor: ACTOR, body: { sku: 'SKU-5002', limit: 10 } });
          return p.items.length ? p : undefined;
        },
        { what: 'article SKU-5002' },
      );
      await stack.call(Rpc.articlesSetStock, {
        accountId,
        actor: ACTOR,
        body: { articleId: page.items[0]!.id, stock: [{ storageLocationId: 0, quantity: 0 }] },
      });
      const zeroIn = async (direction: string) =>
        (await shop.received(`dir-${direction}`)).stockUpdates.some((u) => u.productId === '5002' && u.availableStock === 0);
      await waitFor(async () => (await zeroIn('both')) && (await zeroIn('hubToChannel')), { what: 'SetStock 0 in both + hubToChannel' });
      await new Promise((r) => setTimeout(r, 1000));
      expect(await zeroIn('channelToHub')).toBe(false);
      expect(await zeroIn('none')).toBe(false);
    });
  });

  it('SSP-3: an order whose AckOrder fails stays unacknowledged and is imported again, idempotently, once the shop takes acks', async () => {
    await shop.createShop('noack', { orders: 3 });
    shop.failAcksFor.add('noack');
    const connectionId = await stack.connection(accountId, settingsFor('noack'), secretsFor('noack'));
    await allImported(connectionId, 3);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await shop.shopOrders('noack')).some((o) => o.acknowledged)).toBe(false);
    // still failing: a re-poll brings them again and the hub keeps one order each
    await stack.trigger(accountId, connectionId);
    await new Promise((r) => setTimeout(r, 1500));
    shop.failAcksFor.delete('noack');
    // the failed acks opened the connection's breaker for a while: keep asking for a sync until the acks land
    await waitFor(
      async () => {
        await stack.trigger(accountId, connectionId);
        return (await shop.shopOrders('noack')).every((o) => o.acknowledged);
      },
      { timeoutMs: 60_000, intervalMs: 2_000, what: 'acks in noack after the shop recovered' },
    );
    const orders = await stack.listOrders(accountId, connectionId);
    expect(orders).toHaveLength(3);
    expect(new Set(orders.map((o) => o.externalId)).size).toBe(3);
  });
});
