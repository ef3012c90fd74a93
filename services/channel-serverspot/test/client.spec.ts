import { BreakerFactory, OutboundHttp, PlatformMetrics } from '@orderhub/platform';
import { CustomShopClient } from '../src/clients/custom-shop-client';
import { customShopKey } from '../src/clients/key';
import { parseShopDate } from '../src/clients/shop-dates';
import { ShopApiError } from '../src/clients/shop-errors';
import { readOrder } from '../src/clients/shop-wire';
import { mapShopOrder } from '../src/import/order-mapper';
import { ShopSim } from './support/harness';

const metrics = new PlatformMetrics('ssp-client-test');
const http = new OutboundHttp(new BreakerFactory(metrics), metrics);

describe('Custom Shop API client against the simulator over HTTP', () => {
  let shop: ShopSim;
  beforeAll(async () => {
    shop = await ShopSim.start();
    await shop.createShop('client-shop', { orders: 7, products: 12 });
    await shop.createShop('auth-shop', { basicAuth: { username: 'haendler', password: 'geheim' } });
  });
  afterAll(() => shop.close());

  const client = (shopId: string, over: Partial<ConstructorParameters<typeof CustomShopClient>[2]> = {}) =>
    new CustomShopClient(http, `serverspot:${shopId}`, { apiUrl: shop.apiUrl(shopId), shopKey: `${shopId}-key`, ...over });

  it('SSP-3: computes the time-based Key like the reference test vectors', () => {
    expect(customShopKey('1234', 1_700_000_000)).toBe(
      'OWM2YjQzNjkwMTNlM2ZmMjY1ZWQ1YWJhMTk1Nzc0ZWI3MWMyODZkYjJmNjAxMjQ5NGJkN2Y3MzM1MjMzMWMxMw',
    );
    expect(customShopKey('MySecretKey', 1_700_000_999)).toBe(
      'NTc4MDZhZmNhMGE3MTkzNjk5YTZmOTZkNTA4Yzg1M2IyMWNlYzY2MWZjMTUzZWQzNDkwMGJlNGNjYjcxZTU1ZA',
    );
    expect(customShopKey('MySecretKey', 1_700_001_000)).toBe(
      'ZmY3NDZkNTI1MzkxOWVkNzg3MmE3MmRhOTdmNmYzMjNlNTQzMDZhNmQ5Y2VkNGViODc0ZjRkYzE5N2RmMWM0ZQ',
    );
    expect(customShopKey('MySecretKey', 1_700_000_000, 1)).toBe(customShopKey('MySecretKey', 1_700_001_000));
  });

  it('SSP-3: pages through GetOrders with StartDate and PageSize, and the shop accepts our Key', async () => {
    const c = client('client-shop');
    const first = await c.getOrders(new Date(Date.now() - 30 * 86_400_000), 1, 3);
    expect(first.paging).toEqual({ page: 1, totalCount: 7, totalPages: 3 });
    const ids = [...first.orders.map((o) => o.order_id)];
    for (let page = 2; page <= first.paging.totalPages; page++)
      ids.push(...(await c.getOrders(new Date(0), page, 3)).orders.map((o) => o.order_id));
    expect(new Set(ids).size).toBe(7);
    // StartDate after every order: nothing
    expect((await c.getOrders(new Date(Date.now() + 3_600_000), 1, 3)).orders).toHaveLength(0);
  });

  it('SSP-3: AckOrder, SetOrderState and SetStock (0 included) are form posts the shop takes', async () => {
    const c = client('client-shop');
    const [order] = (await c.getOrders(new Date(0), 1, 1)).orders;
    await c.ackOrder(order!.order_id);
    await c.setOrderState({
      orderId: order!.order_id,
      stateId: 4,
      stateName: 'Versendet',
      trackingCode: '00340434',
      shippingCarrier: 'DHL',
    });
    const products = await c.getProducts(1, 100);
    expect(products.products).toHaveLength(12);
    await c.setStock(products.products[0]!.id, 0);
    const received = await shop.received('client-shop');
    expect(received.acks.map((a) => a.orderId)).toContain(order!.order_id);
    expect(received.stateChanges[0]).toMatchObject({
      orderId: order!.order_id,
      newStateTypeId: 4,
      trackingCode: '00340434',
      shippingCarrier: 'DHL',
    });
    expect(received.stockUpdates[0]).toMatchObject({ productId: products.products[0]!.id, availableStock: 0 });
    const again = await c.getOrder(order!.order_id);
    expect(again.order_status_id).toBe(4);
    expect(parseShopDate(again.ship_date)).toBeDefined();
  });

  it('SSP-3: German plain-text errors become readable errors', async () => {
    const c = client('client-shop');
    await expect(c.getOrder('999999')).rejects.toMatchObject({
      kind: 'orderNotFound',
      status: 404,
      shopText: 'Die Bestellung wurde nicht gefunden',
      transient: false,
    });
    await expect(c.setStock('nope', 1)).rejects.toThrow(/does not know this product/);
    await expect(client('client-shop', { shopKey: 'wrong' }).getShippingProfiles()).rejects.toMatchObject({
      kind: 'unauthorized',
      transient: false,
    });
    await expect(client('auth-shop').getShippingProfiles()).rejects.toBeInstanceOf(ShopApiError);
    expect(await client('auth-shop', { basicAuthUser: 'haendler', basicAuthPassword: 'geheim' }).getShippingProfiles()).toContainEqual({
      id: 'dhl-paket',
      name: 'DHL Paket',
    });
    await expect(client('no-such-shop').getShippingProfiles()).rejects.toMatchObject({ kind: 'notFound' });
    await expect(
      new CustomShopClient(http, 'serverspot:closed', { apiUrl: 'http://127.0.0.1:9/api', shopKey: 'x' }).getShippingProfiles(),
    ).rejects.toMatchObject({ kind: 'unreachable', transient: true });
  });

  it('SSP-3: a Key one window off (boundary, small skew) is retried with the neighbouring window', async () => {
    await shop.createShop('skewed-shop', { clockOffsetSeconds: 1000 });
    const c = client('skewed-shop');
    expect((await c.getShippingProfiles()).length).toBeGreaterThan(0);
  });

  it('reads JSON as PHP shops write it: \\uXXXX and \\/ escapes, pretty-printed over many lines, or compact UTF-8', async () => {
    const comment = 'Größe 42/43 – Grüße 😀';
    for (const jsonStyle of ['php-escaped', 'php-pretty', 'compact']) {
      const shopId = `style-${jsonStyle}`;
      await shop.createShop(shopId, { orders: 0, jsonStyle });
      await shop.admin('POST', `/shops/${shopId}/orders`, {
        order_id: 'U-1',
        seller_comment: comment,
        order_products: [{ name: 'Übergröße', quantity: 1, unit_price: 5 }],
      });
      const order = await client(shopId).getOrder('U-1');
      expect({ jsonStyle, comment: order.seller_comment }).toEqual({ jsonStyle, comment });
      const mapped = mapShopOrder(order, { paymentDueDays: 14 });
      expect(mapped.positions[0]?.title).toBe('Übergröße');
      expect(mapped.comments).toContain(`Seller note: ${comment}`);
    }
  });

  it('parses the shops date formats and treats missing, null and "" alike', () => {
    expect(parseShopDate('2019-01-01T20:00:15+0000')).toBe('2019-01-01T20:00:15.000Z');
    expect(parseShopDate('2019-01-01T21:00:15+01:00')).toBe('2019-01-01T20:00:15.000Z');
    expect(parseShopDate('2019-01-01 20:00:15')).toBe('2019-01-01T20:00:15.000Z');
    expect(parseShopDate('2019-01-01')).toBe('2019-01-01T00:00:00.000Z');
    expect(parseShopDate('')).toBeUndefined();
    expect(parseShopDate(null)).toBeUndefined();
    expect(parseShopDate(undefined)).toBeUndefined();
    const order = readOrder({
      order_id: 7,
      order_date: '2024-05-01T10:00:00+0200',
      ship_cost: '',
      email: null,
      order_products: [{ name: 'Tasse', quantity: '2', unit_price: '4.5' }],
    });
    const mapped = mapShopOrder(order!, { paymentDueDays: 14 });
    expect(mapped).toMatchObject({ externalId: '7', orderedAt: '2024-05-01T08:00:00.000Z', shippingCost: 0, currency: 'EUR', state: 1 });
    expect(mapped.positions[0]).toMatchObject({ quantity: 2, unitPrice: 4.5, totalPrice: 9 });
    expect(mapped.buyer).toBeUndefined();
  });

  it('SSP-1: maps price adjustments to the configured article, payment ids to names, pay-by date, discounts, comments', () => {
    const order = readOrder({
      order_id: '100001',
      order_number: 'SSP-100001',
      currency_code: 'EUR',
      ship_cost: 4.9,
      order_date: '2025-03-01T10:00:00+0000',
      pay_date: '2025-03-01T10:05:00+0000',
      payment_method: 3,
      order_status_id: 3,
      email: 'joerg@example.de',
      invoice_address: {
        firstname: 'Jörg',
        lastname: 'Müller',
        street: 'Hauptstraße',
        housenumber: '5a',
        postcode: '80331',
        city: 'München',
        country_code: 'de',
      },
      order_products: [
        {
          product_id: '5001',
          sku: 'SKU-5001',
          name: 'Becher',
          quantity: 2,
          unit_price: 10,
          tax_rate: 19,
          discount_percent: 10,
          options: [{ name: 'Farbe', value: 'Rot' }],
        },
        { name: 'Gutschein WILLKOMMEN10', quantity: 1, unit_price: -10, tax_rate: 19 },
      ],
      order_history: [
        { date_added: '2025-03-01T10:00:00+0000', name: 'Jörg Müller', comment: 'Bitte nicht vor 14 Uhr liefern.', from_customer: true },
      ],
      seller_comment: 'Stammkunde',
      payment_transaction_id: 'TX1',
    });
    const mapped = mapShopOrder(order!, { priceAdjustmentArticleSku: 'PREISANPASSUNG', paymentDueDays: 10 });
    expect(mapped.positions).toEqual([
      expect.objectContaining({ sku: 'SKU-5001', title: 'Becher (Farbe: Rot)', quantity: 2, unitPrice: 10, totalPrice: 18, taxRate: 19 }),
      expect.objectContaining({
        sku: 'PREISANPASSUNG',
        title: 'Gutschein WILLKOMMEN10',
        unitPrice: -10,
        totalPrice: -10,
        isDiscount: true,
      }),
    ]);
    expect(mapped.paymentMethod).toBe('PayPal');
    expect(mapped.payByDate).toBe('2025-03-11T10:00:00.000Z');
    expect(mapped.state).toBe(3);
    expect(mapped.shippingCost).toBe(4.9);
    expect(mapped.payments).toEqual([{ method: 'PayPal', amount: 12.9, paidAt: '2025-03-01T10:05:00.000Z', reference: 'TX1' }]);
    expect(mapped.invoiceAddress).toMatchObject({ countryIso2: 'DE', houseNumber: '5a', email: 'joerg@example.de' });
    expect(mapped.comments).toEqual(['Customer (Jörg Müller): Bitte nicht vor 14 Uhr liefern.', 'Seller note: Stammkunde']);
  });
});
