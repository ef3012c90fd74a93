import { api, passwordToken, SELLER, startSimulator, type Harness } from './support';

describe('otto-market simulator: /v1/token and bearer auth', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSimulator({ tokenTtlSeconds: 1800 });
  });
  afterEach(() => h.close());

  it('OTTO-1: password grant with client_id token-otto-api returns a bearer token living 1800 s', async () => {
    const res = await passwordToken(h.url);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 1800, refresh_expires_in: 7200 });
    const payload = JSON.parse(Buffer.from(String(body.access_token).split('.')[1] ?? '', 'base64url').toString('utf8'));
    expect(payload.partner_id).toBe(SELLER.partnerId);
    expect((await api(h.url, String(body.access_token)).get('/v4/orders')).status).toBe(200);
  });

  it('OTTO-1: wrong API user password is a 401 invalid_grant', async () => {
    const res = await passwordToken(h.url, SELLER.username, 'wrong');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid user credentials' });
  });

  it('OTTO-1: password grant with another client_id is refused', async () => {
    const res = await fetch(`${h.url}/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', client_id: 'something', username: SELLER.username, password: SELLER.password }),
    });
    expect(res.status).toBe(401);
  });

  it('OTTO-1: client_credentials (form or Basic) grants only the requested scopes', async () => {
    const form = await fetch(`${h.url}/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: SELLER.clientId,
        client_secret: SELLER.clientSecret,
        scope: 'orders',
      }),
    });
    expect(form.status).toBe(200);
    const { access_token, refresh_token } = (await form.json()) as { access_token: string; refresh_token?: string };
    expect(refresh_token).toBeUndefined();
    expect((await api(h.url, access_token).get('/v4/orders')).status).toBe(200);
    const forbidden = await api(h.url, access_token).get('/v1/availability/quantities');
    expect(forbidden.status).toBe(403);

    const basic = await fetch(`${h.url}/v1/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${SELLER.clientId}:wrong`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'orders' }),
    });
    expect(basic.status).toBe(401);
  });

  it('OTTO-1: missing, unknown and expired bearer tokens get 401 in OTTO error shape', async () => {
    const missing = await fetch(`${h.url}/v4/orders`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ errors: [{ path: '/v4/orders', title: 'UNAUTHORIZED' }] });
    expect((await api(h.url, 'not-a-token').get('/v4/orders')).status).toBe(401);

    const { access_token, refresh_token } = (await (await passwordToken(h.url)).json()) as { access_token: string; refresh_token: string };
    h.clock.advance(1799_000);
    expect((await api(h.url, access_token).get('/v4/orders')).status).toBe(200);
    h.clock.advance(2_000);
    expect((await api(h.url, access_token).get('/v4/orders')).status).toBe(401);

    // The refresh token (7200 s) still yields a fresh access token, once.
    const refresh = () =>
      fetch(`${h.url}/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'token-otto-api', refresh_token }),
      });
    const refreshed = await refresh();
    expect(refreshed.status).toBe(200);
    const { access_token: fresh } = (await refreshed.json()) as { access_token: string };
    expect((await api(h.url, fresh).get('/v4/orders')).status).toBe(200);
    expect((await refresh()).status).toBe(400);
  });

  it('OTTO-1: admin can expire all tokens so a connector must fetch a new one', async () => {
    const { access_token } = (await (await passwordToken(h.url)).json()) as { access_token: string };
    await fetch(`${h.url}/_admin/tokens/expire`, { method: 'POST' });
    expect((await api(h.url, access_token).get('/v4/orders')).status).toBe(401);
  });
});
