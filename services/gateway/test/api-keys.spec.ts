import type { AccountCreated } from '@orderhub/contracts';
import { isolate, type ServiceProcess, type TestIsolation } from '@orderhub/testkit';
import { ApiClient, startGateway, startOrders, TestNats } from './support';

/**
 * Issue 16: the account's API keys over the native API, and revocation that reaches every gateway
 * replica at once. Both replicas cache known keys for 30 s (the most AUTH_CACHE_TTL_MS allows), so a
 * key refused right after its revocation was dropped by the event, not by its cache entry expiring.
 */
describe('API keys: list, create, revoke on every replica (issue 16)', () => {
  let iso: TestIsolation;
  let orders: ServiceProcess;
  let replicas: ServiceProcess[] = [];
  let nats: TestNats;
  let a: AccountCreated;
  let b: AccountCreated;

  const on = (replica: number, key: string) => new ApiClient(replicas[replica]!.url, key);

  beforeAll(async () => {
    iso = isolate('apikeys');
    orders = await startOrders(iso);
    const env = { AUTH_CACHE_TTL_MS: '30000', RATE_LIMIT_PER_SECOND: '1000', RATE_LIMIT_BURST: '1000' };
    replicas = await Promise.all([startGateway(iso, env), startGateway(iso, env)]);
    nats = await TestNats.connect(iso);
    [a, b] = [await nats.createAccount('Keys A GmbH'), await nats.createAccount('Keys B GmbH')];
  }, 120_000);

  afterAll(async () => {
    await nats?.close();
    await Promise.all(replicas.map((r) => r.stop()));
    await orders?.stop();
  });

  it('lists the first key without its secret; a created key is shown once, stored hashed, never listed', async () => {
    const first = await on(0, a.apiKey).call('GET', '/api-keys');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ items: [{ id: a.apiKeyId, name: 'initial', createdAt: expect.any(String) }] });

    const created = await on(0, a.apiKey).call('POST', '/api-keys', { body: { name: 'warehouse script' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^key_/),
      name: 'warehouse script',
      createdAt: expect.any(String),
      apiKey: expect.stringMatching(/^oh_/),
    });
    const secret = created.body.apiKey as string;
    expect((await on(1, secret).call('GET', '/orders')).status).toBe(200);

    const listed = await on(1, secret).call('GET', '/api-keys');
    expect(listed.body.items.map((k: { id: string }) => k.id)).toEqual([a.apiKeyId, created.body.id]);
    expect(listed.text).not.toContain(secret);
    expect(listed.text).not.toMatch(/hash/i);
    expect(orders.logs()).not.toContain(secret);
    for (const r of replicas) expect(r.logs()).not.toContain(secret);
  });

  it('refuses a key without a name, with unknown fields, or with a name over 100 characters (400)', async () => {
    for (const body of [{}, { name: '' }, { name: 'x', scope: 'admin' }, { name: 'x'.repeat(101) }]) {
      const res = await on(0, a.apiKey).call('POST', '/api-keys', { body });
      expect({ body, status: res.status, type: res.headers.get('content-type') }).toEqual({
        body,
        status: 400,
        type: expect.stringMatching(/^application\/problem\+json/),
      });
    }
  });

  it('a revoked key is refused on both replicas at once, though both had it cached; other keys keep working', async () => {
    const created = await on(0, a.apiKey).call('POST', '/api-keys', { body: { name: 'to revoke' } });
    const secret = created.body.apiKey as string;
    // both replicas have it cached now
    for (const r of [0, 1]) expect((await on(r, secret).call('GET', '/orders')).status).toBe(200);

    const revoked = await on(0, a.apiKey).call('DELETE', '/api-keys/{id}', { params: { id: created.body.id } });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ revoked: true });
    for (const r of [1, 0]) {
      const res = await on(r, secret).call('GET', '/orders');
      expect({ replica: r, status: res.status }).toEqual({ replica: r, status: 401 });
    }
    for (const r of [0, 1]) expect((await on(r, a.apiKey).call('GET', '/orders')).status).toBe(200);
    const listed = await on(1, a.apiKey).call('GET', '/api-keys');
    expect(listed.body.items.map((k: { id: string }) => k.id)).not.toContain(created.body.id);
  });

  it('a caller can revoke the key it uses (not the last one); the first key can be revoked too', async () => {
    const next = await on(0, a.apiKey).call('POST', '/api-keys', { body: { name: 'successor' } });
    const res = await on(1, a.apiKey).call('DELETE', '/api-keys/{id}', { params: { id: a.apiKeyId } });
    expect(res.status).toBe(200);
    for (const r of [0, 1]) expect((await on(r, a.apiKey).call('GET', '/orders')).status).toBe(401);
    expect((await on(0, next.body.apiKey).call('GET', '/orders')).status).toBe(200);
    a = { ...a, apiKey: next.body.apiKey, apiKeyId: next.body.id };
  });

  it("tenant check: another account's key id is 404 and stays valid; the last key of an account is 409", async () => {
    const other = await on(0, b.apiKey).call('DELETE', '/api-keys/{id}', { params: { id: a.apiKeyId } });
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await on(1, a.apiKey).call('GET', '/orders')).status).toBe(200);
    const bList = await on(0, b.apiKey).call('GET', '/api-keys');
    expect(bList.body.items.map((k: { id: string }) => k.id)).toEqual([b.apiKeyId]);

    const last = await on(0, b.apiKey).call('DELETE', '/api-keys/{id}', { params: { id: b.apiKeyId } });
    expect(last.status).toBe(409);
    expect((await on(1, b.apiKey).call('GET', '/orders')).status).toBe(200);
    const unknown = await on(0, b.apiKey).call('DELETE', '/api-keys/{id}', { params: { id: 'key_0000000000000000' } });
    expect(unknown.status).toBe(404);
  });
});
