import { computeCustomShopKey } from '../src/key';
import { admin, callShop, startSimulator, T0_MS, type Harness } from './support/harness';

const SHOP = { shopId: 'serverspot-1', key: 'geheimer-shop-key', products: 3, orders: 2 };

describe('custom-shop simulator: authentication', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSimulator({
      shops: [SHOP, { ...SHOP, shopId: 'with-login', basicAuth: { username: 'haendler', password: 'passwört' } }],
    });
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    h.clock.ms = T0_MS;
    await admin(h, 'POST', '/reset');
  });

  const getShippingProfiles = (extra: Partial<Parameters<typeof callShop>[1]> = {}) =>
    callShop(h, { shopId: SHOP.shopId, shopKey: SHOP.key, action: 'GetShippingProfiles', ...extra });

  it('SSP-3: accepts the Key computed from the shop key and the current time window', async () => {
    const res = await getShippingProfiles();
    expect(res.status).toBe(200);
  });

  it('SSP-3: answers 401 "Unautorisiert" (plain text) to a Key from a wrong shop key', async () => {
    const res = await getShippingProfiles({ shopKey: 'falscher-key' });
    expect(res.status).toBe(401);
    expect(res.text).toBe('Unautorisiert');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it('SSP-3: answers 401 to a missing Key, and checks the Key before the Action', async () => {
    const res = await fetch(`${h.server.url}/shops/${SHOP.shopId}/api`);
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('Unautorisiert');
  });

  it('SSP-3: parameter names are case-sensitive (lower-case "key" is no Key)', async () => {
    const good = await getShippingProfiles();
    expect(good.status).toBe(200);
    const url = new URL(`${h.server.url}/shops/${SHOP.shopId}/api`);
    url.searchParams.set('Action', 'GetShippingProfiles');
    url.searchParams.set('key', computeCustomShopKey(SHOP.key, T0_MS / 1000));
    expect((await fetch(url)).status).toBe(401);
  });

  it('SSP-3: a client clock one window behind the shop (previous Key) gets 401, no tolerance', async () => {
    const res = await getShippingProfiles({ clientUnixSeconds: T0_MS / 1000 - 1000 });
    expect(res.status).toBe(401);
  });

  it('SSP-3: a shop clock skewed beyond the window rejects, a skew inside the window still accepts', async () => {
    // T0 is 500 s into its window: +300 s stays inside, +600 s crosses into the next window.
    await admin(h, 'PATCH', `/shops/${SHOP.shopId}`, { clockOffsetSeconds: 300 });
    expect((await getShippingProfiles()).status).toBe(200);
    await admin(h, 'PATCH', `/shops/${SHOP.shopId}`, { clockOffsetSeconds: 600 });
    expect((await getShippingProfiles()).status).toBe(401);
    await admin(h, 'PATCH', `/shops/${SHOP.shopId}`, { clockOffsetSeconds: -501 });
    expect((await getShippingProfiles()).status).toBe(401);
  });

  it('SSP-3: the Key rotates with the real time window (same Key is refused after the boundary)', async () => {
    const key = computeCustomShopKey(SHOP.key, T0_MS / 1000);
    expect((await getShippingProfiles({ key })).status).toBe(200);
    h.clock.ms = T0_MS + 500_000; // next window starts
    expect((await getShippingProfiles({ key })).status).toBe(401);
  });

  it('SSP-3: a lenient shop (acceptPreviousKeyWindow) also takes the previous window', async () => {
    await admin(h, 'PATCH', `/shops/${SHOP.shopId}`, { acceptPreviousKeyWindow: true });
    expect((await getShippingProfiles({ clientUnixSeconds: T0_MS / 1000 - 1000 })).status).toBe(200);
    expect((await getShippingProfiles({ clientUnixSeconds: T0_MS / 1000 - 2000 })).status).toBe(401);
  });

  it('SSP-1: optional basic auth: missing or wrong login gets 401 with a Basic challenge, the right one passes', async () => {
    const base = { shopId: 'with-login', shopKey: SHOP.key, action: 'GetShippingProfiles' };
    const missing = await callShop(h, base);
    expect(missing.status).toBe(401);
    expect(missing.text).toBe('Unautorisiert');
    expect(missing.headers.get('www-authenticate')).toBe('Basic realm="Billbee API"');
    const wrong = await callShop(h, { ...base, basicAuth: { username: 'haendler', password: 'falsch' } });
    expect(wrong.status).toBe(401);
    const right = await callShop(h, { ...base, basicAuth: { username: 'haendler', password: 'passwört' } });
    expect(right.status).toBe(200);
    const rightLoginWrongKey = await callShop(h, { ...base, shopKey: 'x', basicAuth: { username: 'haendler', password: 'passwört' } });
    expect(rightLoginWrongKey.status).toBe(401);
  });
});
