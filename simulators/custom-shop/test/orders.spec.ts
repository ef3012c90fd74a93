import { admin, callShop, startSimulator, T0_MS, type Harness } from './support/harness';

const SHOP = { shopId: 'ssp-orders', key: 'orders-key', products: 5, orders: 5 };
/** PHP ISO8601 in Berlin time: +0100 in winter, +0200 in summer. */
const SHOP_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]00$/;

interface WireOrder {
  order_id: string;
  order_date: string;
  order_status_id: number;
  order_products: { unit_price: number; product_id?: string; sku?: string }[];
  order_history: { comment: string; from_customer: boolean }[];
  [key: string]: unknown;
}
interface OrdersPage {
  paging: Record<string, number>;
  orders: WireOrder[];
}

describe('custom-shop simulator: GetOrders / GetOrder', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSimulator({ shops: [SHOP] });
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    h.clock.ms = T0_MS;
    await admin(h, 'POST', '/reset');
  });

  const getOrders = async (query: Record<string, string>) => {
    const res = await callShop(h, { shopId: SHOP.shopId, shopKey: SHOP.key, action: 'GetOrders', query });
    expect(res.status).toBe(200);
    return res.json() as OrdersPage;
  };

  it('SSP-3: pages with Page/PageSize and answers the paging block {page,totalCount,totalPages} only', async () => {
    const pages = await Promise.all([1, 2, 3, 4].map((p) => getOrders({ StartDate: '2023-01-01', Page: String(p), PageSize: '2' })));
    expect(pages.map((p) => p.paging)).toEqual([1, 2, 3, 4].map((page) => ({ page, totalCount: 5, totalPages: 3 })));
    expect(pages.map((p) => p.orders.length)).toEqual([2, 2, 1, 0]);
    const ids = pages.flatMap((p) => p.orders.map((o) => o.order_id));
    expect(new Set(ids).size).toBe(5);
    expect(Object.keys(pages[0]!)).toEqual(['paging', 'orders']);
  });

  it('SSP-3: without PageSize GetOrders returns one order per page, like the official SDK', async () => {
    const page = await getOrders({ StartDate: '2023-01-01' });
    expect(page.paging).toEqual({ page: 1, totalCount: 5, totalPages: 5 });
    expect(page.orders).toHaveLength(1);
  });

  it('SSP-3: orders use the shop date format, leave null fields out and carry German data', async () => {
    const { orders } = await getOrders({ StartDate: '2023-01-01', Page: '1', PageSize: '100' });
    for (const order of orders) {
      expect(order.order_date).toMatch(SHOP_DATE);
      expect(order).not.toHaveProperty('ship_date');
      expect(Object.values(order)).not.toContain(null);
      expect(order.currency_code).toBe('EUR');
      expect(order.invoice_address).toEqual(expect.objectContaining({ country_code: expect.any(String), postcode: expect.any(String) }));
      expect(order.invoice_address).not.toHaveProperty('state');
    }
  });

  it('SSP-1: the generator produces price adjustment positions, shipping costs and customer comments', async () => {
    await admin(h, 'POST', `/shops/${SHOP.shopId}/orders/generate`, { count: 60 });
    const { orders } = await getOrders({ StartDate: '2023-01-01', Page: '1', PageSize: '100' });
    const positions = orders.flatMap((o) => o.order_products);
    expect(positions.some((p) => p.unit_price < 0 && p.product_id === undefined && p.sku === undefined)).toBe(true);
    expect(orders.some((o) => typeof o.ship_cost === 'number' && o.ship_cost > 0)).toBe(true);
    expect(orders.some((o) => o.order_history.some((c) => c.from_customer))).toBe(true);
    expect(new Set(orders.map((o) => o.payment_method)).size).toBeGreaterThan(3);
  });

  it('SSP-3: StartDate selects orders created or modified since then; a change in the shop shows up again', async () => {
    const later = new Date(T0_MS + 3600_000);
    h.clock.ms = later.getTime();
    const since = later.toISOString().slice(0, 19); // date-time without zone = UTC
    expect((await getOrders({ StartDate: since, PageSize: '100' })).orders).toHaveLength(0);
    const all = await getOrders({ StartDate: '2023-01-01', PageSize: '100' });
    const target = all.orders[0]!.order_id;
    await admin(h, 'PATCH', `/shops/${SHOP.shopId}/orders/${target}`, {
      order_status_id: 8,
      add_comment: { comment: 'Kunde hat storniert', from_customer: true },
    });
    const changed = await getOrders({ StartDate: since, PageSize: '100' });
    expect(changed.orders.map((o) => o.order_id)).toEqual([target]);
    expect(changed.orders[0]!.order_status_id).toBe(8);
    expect(changed.orders[0]!.order_history.at(-1)).toEqual(
      expect.objectContaining({ comment: 'Kunde hat storniert', from_customer: true }),
    );
  });

  it('SSP-3: an acknowledged order is still returned by GetOrders (the spec filters by date only)', async () => {
    const first = (await getOrders({ StartDate: '2023-01-01', PageSize: '100' })).orders[0]!;
    const ack = await callShop(h, { shopId: SHOP.shopId, shopKey: SHOP.key, action: 'AckOrder', form: { OrderId: first.order_id } });
    expect(ack.status).toBe(200);
    const again = await getOrders({ StartDate: '2023-01-01', PageSize: '100' });
    expect(again.orders.map((o) => o.order_id)).toContain(first.order_id);
  });

  it('SSP-3: StartDate empty means "now", missing means 30 days back, unparsable gives 500 in German', async () => {
    expect((await getOrders({ StartDate: '', PageSize: '100' })).paging.totalCount).toBe(0);
    expect((await getOrders({ PageSize: '100' })).paging.totalCount).toBe(5);
    const bad = await callShop(h, { shopId: SHOP.shopId, shopKey: SHOP.key, action: 'GetOrders', query: { StartDate: 'gestern' } });
    expect(bad.status).toBe(500);
    expect(bad.text).toBe('Der Wert gestern konnte nicht in eine gültiges Datum umgewandelt werden.');
  });

  it('SSP-3: GetOrder returns the bare order, 404 and 400 with German plain text', async () => {
    const created = await admin(h, 'POST', `/shops/${SHOP.shopId}/orders`, { order_id: 'A-1', email: 'anke.mueller@example.de' });
    expect(created.status).toBe(201);
    const res = await callShop(h, { shopId: SHOP.shopId, shopKey: SHOP.key, action: 'GetOrder', query: { OrderId: 'A-1' } });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual(expect.objectContaining({ order_id: 'A-1', email: 'anke.mueller@example.de' }));
    const unknown = await callShop(h, { shopId: SHOP.shopId, shopKey: SHOP.key, action: 'GetOrder', query: { OrderId: 'nope' } });
    expect([unknown.status, unknown.text]).toEqual([404, 'Die Bestellung wurde nicht gefunden']);
    const missing = await callShop(h, { shopId: SHOP.shopId, shopKey: SHOP.key, action: 'GetOrder', query: { OrderId: '' } });
    expect([missing.status, missing.text]).toEqual([400, 'Es wurde keine OrderId übergeben']);
  });

  it('JSON as different shop systems write it: PHP json_encode escapes (\\u00fc, \\/), pretty-printed lines, compact UTF-8; the same data in all three', async () => {
    const styles = ['php-escaped', 'php-pretty', 'compact'] as const;
    for (const jsonStyle of styles) {
      await admin(h, 'POST', '/shops', { shopId: `json-${jsonStyle}`, key: 'json-key', seed: 4711, products: 3, orders: 3, jsonStyle });
      await admin(h, 'POST', `/shops/json-${jsonStyle}/orders`, { order_id: 'U-1', seller_comment: 'Größe 42/43 – Grüße 😀' });
    }
    const texts: Record<string, string> = {};
    for (const style of styles) {
      const res = await callShop(h, {
        shopId: `json-${style}`,
        shopKey: 'json-key',
        action: 'GetOrders',
        query: { StartDate: '2023-01-01', Page: '1', PageSize: '100' },
      });
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      texts[style] = res.text;
    }
    const [escaped, pretty, compact] = styles.map((s) => texts[s]!) as [string, string, string];
    expect(escaped).toMatch(/^[\x20-\x7e]*$/);
    expect(escaped).toMatch(/\\u00[c-f][0-9a-f]/);
    expect(escaped).toContain('\\/');
    expect(pretty).toContain('\n    "');
    expect(pretty).toMatch(/[äöüßÄÖÜ]/);
    expect(compact).not.toContain('\n');
    const data = (text: string) => (JSON.parse(text) as OrdersPage).orders.map(({ order_id: _id, ...rest }) => rest);
    expect(data(escaped)).toEqual(data(compact));
    expect(data(pretty)).toEqual(data(compact));
  });
});
