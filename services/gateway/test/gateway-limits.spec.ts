import { request } from 'node:http';
import { Rpc } from '@orderhub/contracts';
import { type LocalServer, type ServiceProcess, spawnNatsServer, waitFor } from '@orderhub/testkit';
import { ApiClient, startGateway, useGatewayStack } from './support';

/** Raw HTTP: the body is sent exactly as given. */
function post(
  port: number,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`no answer to POST ${path}`)));
    req.end(body);
  });
}

const bogusKey = (n: number) => `oh_wrong-key-${n}-${'x'.repeat(20)}`;

/**
 * Issue 16 at the gateway: input that must be refused rather than passed on, authentication that
 * cannot be guessed at leisure, NATS outages answered at once, and metrics off the public port.
 */
describe('gateway limits (issue 16)', () => {
  const gw = useGatewayStack('gwlimits', 'Limits GmbH');

  it('SEC-JSON: a body nested 10 000 levels deep (20 KB) is a 400 problem, not a 503', async () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const auth = { authorization: `Bearer ${gw.account.apiKey}`, 'content-type': 'application/json' };
    const bare = await post(gw.gateway.port, '/api/v1/connections', auth, deep);
    expect(bare).toMatchObject({ status: 400, type: expect.stringMatching(/^application\/problem\+json/) });
    const inSettings = await post(
      gw.gateway.port,
      '/api/v1/connections',
      auth,
      `{"type":"jimdo","settings":{"name":${deep}},"secrets":{}}`,
    );
    expect(inSettings).toMatchObject({ status: 400, type: expect.stringMatching(/^application\/problem\+json/) });
    expect(JSON.parse(inSettings.text).detail).toMatch(/nested deeper/);
    expect(gw.gateway.running).toBe(true);
  });

  it('SEC-QUERY: unknown query parameters are refused with 400, not dropped (connectionId[$ne]=x)', async () => {
    const operator = await gw.api.call('GET', '/orders', { query: { 'connectionId[$ne]': 'x' } });
    expect(operator.status).toBe(400);
    expect(operator.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(operator.body.errors).toEqual([expect.objectContaining({ path: 'query' })]);
    expect(operator.body.errors[0].message).toContain('connectionId[$ne]');
    for (const path of ['/articles', '/connections', '/mail/parked']) {
      const res = await gw.api.call('GET', path, { query: { limt: '5' } });
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
    }
    const known = await gw.api.call('GET', '/orders', { query: { limit: '5' } });
    expect(known.status).toBe(200);
  });

  it('SEC-SYNC: "sync now" for a jimdo connection is 409 with the reason (it has no on-demand sync)', async () => {
    const jimdo = await gw.api.call('POST', '/connections', {
      body: { type: 'jimdo', settings: { name: 'Jimdo', forwardTo: 'm@shop.example' }, secrets: {} },
    });
    expect(jimdo.status).toBe(201);
    const res = await gw.api.call('POST', '/connections/{id}/sync', { params: { id: jimdo.body.id } });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toMatch(/jimdo.*e-mail or file upload/);
  });

  it('SEC-AUTH: an unknown key is looked up once and then remembered as unknown for a while', async () => {
    const lookups = await gw.nats.respond(Rpc.accountsAuthenticate, () => ({ ok: false, problem: { type: 'x', title: 'x', status: 401 } }));
    try {
      const key = bogusKey(0);
      for (let i = 0; i < 3; i++) expect((await gw.api.call('GET', '/orders', { key })).status).toBe(401);
      // the orders service (a queue subscriber) answers too; this plain subscriber sees every lookup sent
      expect(lookups.requests.filter((r) => (r as { apiKey: string }).apiKey === key)).toHaveLength(1);
    } finally {
      lookups.stop();
    }
  });

  it('SEC-AUTH: failed authentications are limited per client address and over all addresses (429 + Retry-After)', async () => {
    const limited = await startGateway(gw.iso, {
      TRUST_PROXY_HOPS: '1',
      AUTH_FAILURES_PER_ADDRESS: '3',
      AUTH_FAILURES_GLOBAL: '8',
    });
    try {
      const from = (address: string, key: string) =>
        new ApiClient(limited.url, key).call('GET', '/orders', { headers: { 'X-Forwarded-For': address } });
      expect((await from('203.0.113.1', gw.account.apiKey)).status).toBe(200);
      const first: number[] = [];
      for (let i = 0; i < 4; i++) first.push((await from('203.0.113.1', bogusKey(100 + i))).status);
      expect(first).toEqual([401, 401, 401, 429]);
      const refused = await from('203.0.113.1', bogusKey(200));
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // another address still gets its answers, until all addresses together used the global budget
      const others: number[] = [];
      for (let i = 0; i < 6; i++) others.push((await from(`203.0.113.${10 + Math.floor(i / 2)}`, bogusKey(300 + i))).status);
      expect(others).toEqual([401, 401, 401, 401, 401, 429]);
      expect((await from('203.0.113.99', bogusKey(400))).status).toBe(429);
      // a key this gateway already knows is not held up by the failed-authentication limits
      expect((await from('203.0.113.1', gw.account.apiKey)).status).toBe(200);
    } finally {
      await limited.stop();
    }
  }, 90_000);

  it('SEC-METRICS: /metrics is served on METRICS_PORT only, not on the public API port', async () => {
    expect((await fetch(`${gw.gateway.url}/metrics`)).status).toBe(404);
    const metrics = await fetch(`${gw.gateway.metricsUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^# TYPE process_resident_memory_bytes gauge$/m);
    expect(gw.gateway.metricsPort).not.toBe(gw.gateway.port);
  });

  describe('while NATS is down', () => {
    let privateNats: LocalServer;
    let lonely: ServiceProcess;

    afterAll(async () => {
      await lonely?.stop();
      await privateNats?.destroy();
    });

    it('SEC-NATS: requests are answered 503 at once instead of after the RPC timeout', async () => {
      privateNats = await spawnNatsServer();
      lonely = await startGateway({ ...gw.iso, natsUrl: privateNats.url }, { RPC_TIMEOUT_MS: '30000' });
      await privateNats.stop();
      await waitFor(async () => (await fetch(`${lonely.url}/health/ready`)).status !== 200 || undefined, {
        what: 'the gateway to notice NATS is gone',
      });
      const started = Date.now();
      const res = await new ApiClient(lonely.url, gw.account.apiKey).call('GET', '/orders');
      const tookMs = Date.now() - started;
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      // the RPC timeout is 30 s: anything near it means the request waited for NATS
      expect(tookMs).toBeLessThan(15_000);
    }, 90_000);
  });
});
