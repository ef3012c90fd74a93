import { execFileSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { REPO_ROOT } from '@orderhub/testkit';
import { type AccountCreated, ConnectorHealth, ConnectorTriggers, Rpc } from '@orderhub/contracts';
import { freePort, isolate, type ServiceProcess, type TestIsolation, waitFor } from '@orderhub/testkit';
import nodemailer from 'nodemailer';
import { buildJimdoCsvExport, generateJimdoOrder, type JimdoOrder } from '../../../simulators/mail-sender/src';
import { ApiClient, ottoOrder, startGateway, startMailIngest, startOrders, TestNats } from './support';

/** @seriousme/openapi-schema-validator is ESM-only (jest here runs CommonJS): validate in a child node process. */
function validateOpenApi(doc: unknown): { valid: boolean; version: string; errors?: unknown[] } {
  const script =
    "import { Validator } from '@seriousme/openapi-schema-validator';" +
    "let input = ''; for await (const chunk of process.stdin) input += chunk;" +
    'const v = new Validator(); const r = await v.validate(JSON.parse(input));' +
    'process.stdout.write(JSON.stringify({ valid: r.valid, version: v.version, errors: r.errors }));';
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, input: JSON.stringify(doc) });
  return JSON.parse(out.toString()) as { valid: boolean; version: string; errors?: unknown[] };
}

/**
 * Routes whose behaviour needs more services than this file starts (the webhooks service, the
 * connectors): tests/billbee/billbee-api.spec.ts calls every one of them.
 */
const COVERED_ELSEWHERE = ['/billbee/api/v1/', '/api/v1/webhooks', '/api/v1/billbee-credentials', '/api/v1/api-keys'];

/**
 * Writes 16 KB chunks (up to 2 MB) until the server answers, then stops writing: how a client uploads
 * a file the server may refuse early. Resolves with the answer.
 */
function uploadUntilAnswered(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(
      { host: '127.0.0.1', port, method: 'POST', path, headers: { ...headers, authorization: `Bearer ${uploadKey}` } },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`no answer to POST ${path}`)));
    // A declared size is judged from the headers alone: send no body, so no write can race the answer.
    if (headers['content-length']) {
      req.flushHeaders();
      return;
    }
    let sent = 0;
    const writeMore = () => {
      if (answered || req.destroyed || sent >= 2 * 1024 * 1024) return;
      sent += 16 * 1024;
      if (req.write(Buffer.alloc(16 * 1024, 'y'))) setImmediate(writeMore);
      else req.once('drain', writeMore);
    };
    writeMore();
  });
}
let uploadKey = '';

async function retryOnReset<T>(attempt: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (i >= attempts || (code !== 'EPIPE' && code !== 'ECONNRESET')) throw err;
    }
  }
}

/**
 * The gateway as clients see it: real orders service, real gateway, real NATS and MongoDB.
 * Every route of /openapi.json must be called by some test here (checked at the end).
 */
describe('gateway', () => {
  const BODY_LIMIT = 65_536;
  const IMPORT_LIMIT = 256 * 1024;
  let iso: TestIsolation;
  let orders: ServiceProcess;
  let mailIngest: ServiceProcess;
  let smtpPort: number;
  let gateway: ServiceProcess;
  let nats: TestNats;
  let a: AccountCreated;
  let b: AccountCreated;
  let api: ApiClient; // account A
  let apiB: ApiClient; // account B
  let document: { paths: Record<string, Record<string, unknown>> };
  const ids = { ottoConnection: '', sspConnection: '', ottoOrder: '', sspOrder: '', article: '' };

  beforeAll(async () => {
    iso = isolate('gateway');
    orders = await startOrders(iso);
    ({ service: mailIngest, smtpPort } = await startMailIngest(iso));
    gateway = await startGateway(iso, {
      BODY_LIMIT_BYTES: String(BODY_LIMIT),
      IMPORT_MAX_BYTES: String(IMPORT_LIMIT),
      MAIL_INGEST_URL: mailIngest.url,
      LOG_LEVEL: 'info',
      // Far above what this file sends: with the defaults (20/s, burst 40) a fast run of account A's
      // calls got 429s. The limiter has its own gateway and test below.
      RATE_LIMIT_PER_SECOND: '1000',
      RATE_LIMIT_BURST: '1000',
    });
    nats = await TestNats.connect(iso);
    a = await nats.createAccount('Shop A');
    b = await nats.createAccount('Shop B');
    api = new ApiClient(gateway.url, a.apiKey);
    uploadKey = a.apiKey;
    apiB = api.withKey(b.apiKey);
  });

  afterAll(async () => {
    await nats?.close();
    await gateway?.stop();
    await mailIngest?.stop();
    await orders?.stop();
  });

  describe('OpenAPI', () => {
    it('serves a valid OpenAPI 3.1 document generated from the controllers', async () => {
      const res = await fetch(`${gateway.url}/openapi.json`);
      expect(res.status).toBe(200);
      document = (await res.json()) as typeof document;
      const result = validateOpenApi(document);
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
      expect(result.version).toBe('3.1');
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining(['/api/v1/orders', '/api/v1/orders/{id}/state', '/api/v1/imports/csv', '/api/v1/mail/parked']),
      );
    });

    it('serves Swagger UI at /docs from the package itself: every script and stylesheet is local and loads', async () => {
      const res = await fetch(`${gateway.url}/docs`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const html = await res.text();
      const assets = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
      expect(assets.length).toBeGreaterThan(2);
      expect(assets.filter((a) => /^(https?:)?\/\//.test(a))).toEqual([]);
      for (const asset of assets) {
        const loaded = await fetch(new URL(asset, `${gateway.url}/docs`));
        expect({ asset, status: loaded.status }).toEqual({ asset, status: 200 });
      }
      const init = await (await fetch(`${gateway.url}/docs/swagger-ui-init.js`)).text();
      expect(init).toContain('"openapi": "3.1.0"');
    });
  });

  describe('authentication and correlation', () => {
    it('answers 401 problem without a key and with an unknown key', async () => {
      const missing = await api.call('GET', '/orders', { key: null });
      expect(missing.status).toBe(401);
      expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(missing.body).toMatchObject({ status: 401, type: expect.stringContaining('unauthorized') });
      const unknown = await api.call('GET', '/orders', { key: 'ohk_definitely-not-a-real-key-000000' });
      expect(unknown.status).toBe(401);
      expect(unknown.text).not.toContain('definitely-not');
    });

    it('echoes X-Correlation-Id, or makes one up', async () => {
      const mine = await api.call('GET', '/connections', { headers: { 'X-Correlation-Id': 'corr-test-123' } });
      expect(mine.headers.get('x-correlation-id')).toBe('corr-test-123');
      const made = await api.call('GET', '/connections');
      expect(made.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
      const problem = await api.call('GET', '/connections', { key: null, headers: { 'X-Correlation-Id': 'corr-401' } });
      expect(problem.headers.get('x-correlation-id')).toBe('corr-401');
    });

    it('logs every API request with correlation id and accountId, never the key', async () => {
      await api.call('GET', '/connections', { headers: { 'X-Correlation-Id': 'corr-log-check' } });
      const line = await waitFor(() =>
        gateway
          .logs()
          .split('\n')
          .find((l) => l.includes('"corr-log-check"')),
      );
      expect(JSON.parse(line)).toMatchObject({
        correlationId: 'corr-log-check',
        accountId: a.accountId,
        route: '/api/v1/connections',
        status: 200,
      });
      expect(gateway.logs()).not.toContain(a.apiKey);
    });
  });

  describe('connections (CONN-1, CONN-2)', () => {
    it('CONN-1: creates connections of the chosen type; secrets never come back', async () => {
      const otto = await api.call('POST', '/connections', {
        body: { type: 'otto', settings: { name: 'OTTO main' }, secrets: { username: 'otto-user', password: 'otto-pass-SECRET' } },
      });
      expect(otto.status).toBe(201);
      expect(otto.body).toMatchObject({ type: 'otto', accountId: a.accountId, settings: { name: 'OTTO main', lockPositions: true } });
      expect(otto.body.secretsSet).toEqual(expect.arrayContaining(['username', 'password']));
      expect(otto.text).not.toContain('otto-pass-SECRET');
      expect(otto.body).not.toHaveProperty('secrets');
      expect(otto.body).not.toHaveProperty('encryptedSecrets');
      expect(otto.headers.get('location')).toBe(`/api/v1/connections/${otto.body.id}`);
      ids.ottoConnection = otto.body.id;

      const ssp = await api.call('POST', '/connections', {
        body: {
          type: 'serverspot',
          settings: { name: 'My shop', apiUrl: 'http://127.0.0.1:9/api' },
          secrets: { shopKey: 'SHOPKEY-SECRET' },
          verify: false,
        },
      });
      expect(ssp.status).toBe(201);
      expect(ssp.text).not.toContain('SHOPKEY-SECRET');
      ids.sspConnection = ssp.body.id;
    });

    it('CONN-2: lists and reads connections with their capabilities, without secrets', async () => {
      const list = await api.call('GET', '/connections');
      expect(list.status).toBe(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([ids.ottoConnection, ids.sspConnection]));
      expect(list.text).not.toMatch(/SECRET|encryptedSecrets/);
      const onlyOtto = await api.call('GET', '/connections', { query: { type: 'otto' } });
      expect(onlyOtto.body.items.map((c: { type: string }) => c.type)).toEqual(['otto']);
      const one = await api.call('GET', '/connections/{id}', { params: { id: ids.ottoConnection } });
      expect(one.status).toBe(200);
      expect(one.body.capabilities).toEqual(expect.arrayContaining(['importOrders', 'changeOrderState']));
      expect(one.body.capabilities).not.toContain('sendMessages');
      expect(one.text).not.toMatch(/otto-pass-SECRET|encryptedSecrets/);
    });

    it('CONN-4: changes settings and replaces secrets; the answer still has no secret', async () => {
      const res = await api.call('PATCH', '/connections/{id}', {
        params: { id: ids.ottoConnection },
        body: { settings: { syncDirection: 'channelToHub' }, secrets: { password: 'NEW-otto-SECRET' } },
      });
      expect(res.status).toBe(200);
      expect(res.body.settings.syncDirection).toBe('channelToHub');
      expect(res.text).not.toContain('NEW-otto-SECRET');
    });

    it('400 lists the failing fields of an invalid connection', async () => {
      const res = await api.call('POST', '/connections', { body: { type: 'otto', settings: { name: '' }, secrets: {} } });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const paths = res.body.errors.map((e: { path: string }) => e.path);
      expect(paths).toEqual(expect.arrayContaining(['body.settings.name', 'body.secrets.username']));
      const badType = await api.call('POST', '/connections', { body: { type: 'ebay', settings: {}, secrets: {} } });
      expect(badType.status).toBe(400);
      expect(badType.body.errors[0].path).toMatch(/^body/);
    });

    it('WEM-2: on-demand sync is 503 without a connector and 202 once one acknowledges', async () => {
      const none = await api.call('POST', '/connections/{id}/sync', { params: { id: ids.ottoConnection } });
      expect(none.status).toBe(503);
      expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);

      // a connector of another type listens on its own subject: still no connector for this one
      const other = await nats.respond(ConnectorTriggers.serverspot, () => ({ ok: true, data: { queued: true } }));
      const notMine = await api.call('POST', '/connections/{id}/sync', { params: { id: ids.ottoConnection } });
      other.stop();
      expect(notMine.status).toBe(503);
      expect(other.requests).toEqual([]);

      // plays the OTTO connector: it answers triggers for its type
      const connector = await nats.respond(ConnectorTriggers.otto, () => ({ ok: true, data: { queued: true } }));
      try {
        const res = await api.call('POST', '/connections/{id}/sync', { params: { id: ids.ottoConnection } });
        expect(res.status).toBe(202);
        expect(res.body).toEqual({ accepted: true, connectionId: ids.ottoConnection, type: 'otto' });
        expect(connector.requests).toEqual([{ accountId: a.accountId, connectionId: ids.ottoConnection, type: 'otto' }]);
      } finally {
        connector.stop();
      }
    });
  });

  describe('orders', () => {
    beforeAll(async () => {
      await nats.importOrder(a.accountId, ids.ottoConnection, 'otto', ottoOrder('4711'));
      await nats.importOrder(
        a.accountId,
        ids.sspConnection,
        'serverspot',
        ottoOrder('ssp-1', {
          orderNumber: 'SSP-1001',
          state: 1,
          paymentMethod: 'Invoice',
          buyer: { lastName: 'Schmidt', email: 'schmidt@example.org' },
        }),
      );
      const found = await waitFor(
        async () => {
          const res = await api.call('GET', '/orders', { query: { limit: '50' } });
          return res.status === 200 && res.body.items.length >= 2 ? res.body.items : undefined;
        },
        { what: 'imported orders', timeoutMs: 30_000 },
      );
      ids.ottoOrder = found.find((o: { externalId: string }) => o.externalId === '4711').id;
      ids.sspOrder = found.find((o: { externalId: string }) => o.externalId === 'ssp-1').id;
    });

    it('lists with filters: state (repeated and comma list), connectionId, search, cursor paging', async () => {
      const paid = await api.call('GET', '/orders', { query: { state: '3' } });
      expect(paid.body.items.map((o: { id: string }) => o.id)).toEqual([ids.ottoOrder]);
      const repeated = await api.call('GET', '/orders', { query: { state: ['1', '3'] } });
      expect(repeated.body.items).toHaveLength(2);
      const comma = await api.call('GET', '/orders', { query: { state: '1,3' } });
      expect(comma.body.items).toHaveLength(2);
      const byConnection = await api.call('GET', '/orders', { query: { connectionId: ids.sspConnection } });
      expect(byConnection.body.items.map((o: { id: string }) => o.id)).toEqual([ids.sspOrder]);
      const search = await api.call('GET', '/orders', { query: { search: 'SSP-10' } });
      expect(search.body.items.map((o: { id: string }) => o.id)).toEqual([ids.sspOrder]);
      const ranged = await api.call('GET', '/orders', { query: { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' } });
      expect(ranged.status).toBe(200);
      const first = await api.call('GET', '/orders', { query: { limit: '1' } });
      expect(first.body.items).toHaveLength(1);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await api.call('GET', '/orders', { query: { limit: '1', cursor: first.body.nextCursor } });
      expect(second.body.items).toHaveLength(1);
      expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    });

    it('400 for invalid query values, naming the parameter', async () => {
      const res = await api.call('GET', '/orders', { query: { state: '99', limit: '0' } });
      expect(res.status).toBe(400);
      const paths = res.body.errors.map((e: { path: string }) => e.path);
      expect(paths).toEqual(expect.arrayContaining([expect.stringMatching(/^query\.state/), 'query.limit']));
      const date = await api.call('GET', '/orders', { query: { from: 'yesterday' } });
      expect(date.status).toBe(400);
      expect(date.body.errors[0].path).toBe('query.from');
    });

    it('reads one order with its history', async () => {
      const res = await api.call('GET', '/orders/{id}', { params: { id: ids.ottoOrder } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: ids.ottoOrder, accountId: a.accountId, channel: 'otto', externalId: '4711', state: 3 });
      expect(Array.isArray(res.body.history)).toBe(true);
    });

    it('changes tags (HUB-4) and records the API key as actor', async () => {
      const res = await api.call('POST', '/orders/{id}/tags', { params: { id: ids.sspOrder }, body: { add: ['wemalo', 'vip'] } });
      expect(res.status).toBe(200);
      expect(res.body.tags).toEqual(expect.arrayContaining(['wemalo', 'vip']));
      const removed = await api.call('POST', '/orders/{id}/tags', { params: { id: ids.sspOrder }, body: { remove: ['vip'] } });
      expect(removed.body.tags).toEqual(['wemalo']);
      const order = await api.call('GET', '/orders/{id}', { params: { id: ids.sspOrder } });
      expect(order.body.history.map((h: { actor: string }) => h.actor)).toContain(`api-key:${a.apiKeyId}`);
      const empty = await api.call('POST', '/orders/{id}/tags', { params: { id: ids.sspOrder }, body: {} });
      expect(empty.status).toBe(400);
    });

    it('changes the state; a transition the state machine refuses is 409', async () => {
      const ok = await api.call('PUT', '/orders/{id}/state', {
        params: { id: ids.sspOrder },
        body: { state: 2, comment: 'confirmed by phone' },
      });
      expect(ok.status).toBe(200);
      expect(ok.body.state).toBe(2);
      const refused = await api.call('PUT', '/orders/{id}/state', { params: { id: ids.sspOrder }, body: { state: 10 } });
      expect(refused.status).toBe(409);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(refused.body.type).toContain('state-conflict');
      const invalid = await api.call('PUT', '/orders/{id}/state', { params: { id: ids.sspOrder }, body: { state: 42 } });
      expect(invalid.status).toBe(400);
      expect(invalid.body.errors[0].path).toBe('body.state');
    });

    it('edits positions of an unlocked order; OTTO-1 locked positions are refused with 422', async () => {
      const positions = [{ sku: 'SKU-2', title: 'Socks', quantity: 2, unitPrice: 5, totalPrice: 10 }];
      const ok = await api.call('PUT', '/orders/{id}/positions', { params: { id: ids.sspOrder }, body: { positions } });
      expect(ok.status).toBe(200);
      expect(ok.body.positions).toEqual([expect.objectContaining({ sku: 'SKU-2', quantity: 2 })]);
      const locked = await api.call('PUT', '/orders/{id}/positions', { params: { id: ids.ottoOrder }, body: { positions } });
      expect(locked.status).toBe(422);
      expect(locked.body.ruleId).toBe('OTTO-1');
    });

    it('OTTO-2: invoice creation is refused for OTTO orders with 422 and the rule id', async () => {
      const res = await api.call('POST', '/orders/{id}/invoice', { params: { id: ids.ottoOrder } });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 422, ruleId: 'OTTO-2', type: expect.stringContaining('channel-rule') });
      const ssp = await api.call('POST', '/orders/{id}/invoice', { params: { id: ids.sspOrder } });
      expect(ssp.status).toBe(200);
      expect(ssp.body.invoiceNumber).toEqual(expect.any(String));
    });

    it('OTTO-3: adds a shipment with carrier and tracking number', async () => {
      const res = await api.call('POST', '/orders/{id}/shipments', {
        params: { id: ids.ottoOrder },
        body: { carrier: 'DHL', trackingNumber: '00340434161234567890' },
      });
      expect(res.status).toBe(201);
      expect(res.body.shipments).toEqual([
        expect.objectContaining({ carrier: 'DHL', trackingNumber: '00340434161234567890', type: 'shipment' }),
      ]);
      const invalid = await api.call('POST', '/orders/{id}/shipments', { params: { id: ids.ottoOrder }, body: { carrier: ' ' } });
      expect(invalid.status).toBe(400);
      expect(invalid.body.errors.map((e: { path: string }) => e.path)).toEqual(
        expect.arrayContaining(['body.carrier', 'body.trackingNumber']),
      );
    });

    it('OTTO-8: refuses cancelling single OTTO positions; cancels a whole order without a body', async () => {
      const partial = await api.call('POST', '/orders/{id}/cancel', {
        params: { id: ids.ottoOrder },
        body: { positionExternalIds: ['4711-p1'] },
      });
      expect(partial.status).toBe(422);
      expect(partial.body.ruleId).toBe('OTTO-8');
      const whole = await api.call('POST', '/orders/{id}/cancel', { params: { id: ids.sspOrder } });
      expect(whole.status).toBe(200);
      expect(whole.body.state).toBe(8);
    });

    it('resends the write-back of a cancelled order (202, in its history); another account gets 404', async () => {
      const res = await api.call('POST', '/orders/{id}/write-back/resend', { params: { id: ids.sspOrder } });
      expect(res.status).toBe(202);
      expect(res.body.history).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ action: 'write-back-resend', detail: expect.stringContaining('order.cancelled') }),
        ]),
      );
      const foreign = await apiB.call('POST', '/orders/{id}/write-back/resend', { params: { id: ids.sspOrder } });
      expect(foreign.status).toBe(404);
    });

    it("reads the channel's stored payload of an order; another account gets 404", async () => {
      const raw = JSON.stringify({ order_id: 'raw-1', vat_id: 'DE123456789', nick_name: 'erika77' });
      await nats.importOrder(a.accountId, ids.sspConnection, 'serverspot', ottoOrder('raw-1', { rawPayload: raw }));
      const order = await waitFor(
        async () => {
          const res = await api.call('GET', '/orders', { query: { search: 'raw-1' } });
          return res.body.items?.[0];
        },
        { what: 'the order with a raw payload', timeoutMs: 30_000 },
      );
      const res = await api.call('GET', '/orders/{id}/raw', { params: { id: order.id } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ orderId: order.id, channel: 'serverspot', externalId: 'raw-1', rawPayload: raw });
      const none = await api.call('GET', '/orders/{id}/raw', { params: { id: ids.ottoOrder } });
      expect(none.body.rawPayload).toBeNull();
      const foreign = await apiB.call('GET', '/orders/{id}/raw', { params: { id: order.id } });
      expect(foreign.status).toBe(404);
    });
  });

  describe('connection health (issue 15)', () => {
    it("joins the connector's record with the orders imported since `since`; no connector: 'unknown'; tenant-checked", async () => {
      const failing = {
        connectionId: ids.ottoConnection,
        accountId: a.accountId,
        type: 'otto',
        lastSuccessAt: '2026-01-01T10:00:00.000Z',
        lastError: { at: '2026-01-01T10:05:00.000Z', reason: 'poll: 401 Unauthorized' },
        consecutiveFailures: 3,
        failingSince: '2026-01-01T10:01:00.000Z',
        breaker: 'open',
      };
      const connector = await nats.respond(ConnectorHealth.otto, () => ({ ok: true, data: [failing] }));
      try {
        const all = await api.call('GET', '/connection-health');
        expect(all.status).toBe(200);
        const otto = all.body.items.find((h: { connectionId: string }) => h.connectionId === ids.ottoConnection);
        const { accountId: _a, ...shown } = failing;
        expect(otto).toEqual({ ...shown, status: 'failing', ordersImportedSince: 1, since: expect.stringMatching(/T00:00:00/) });
        const ssp = all.body.items.find((h: { connectionId: string }) => h.connectionId === ids.sspConnection);
        const sspOrders = await api.call('GET', '/orders', { query: { connectionId: ids.sspConnection, limit: '50' } });
        expect(ssp).toMatchObject({
          type: 'serverspot',
          status: 'unknown',
          consecutiveFailures: 0,
          ordersImportedSince: sspOrders.body.items.length,
        });
        expect(connector.requests).toEqual([{ accountId: a.accountId }]);

        const one = await api.call('GET', '/connection-health/{id}', { params: { id: ids.ottoConnection } });
        expect(one.status).toBe(200);
        expect(one.body).toMatchObject({ connectionId: ids.ottoConnection, status: 'failing', breaker: 'open' });
        expect(connector.requests).toContainEqual({ accountId: a.accountId, connectionId: ids.ottoConnection });
        const later = await api.call('GET', '/connection-health/{id}', {
          params: { id: ids.ottoConnection },
          query: { since: new Date(Date.now() + 3_600_000).toISOString() },
        });
        expect(later.body.ordersImportedSince).toBe(0);
      } finally {
        connector.stop();
      }
      expect((await apiB.call('GET', '/connection-health/{id}', { params: { id: ids.ottoConnection } })).status).toBe(404);
      const other = await apiB.call('GET', '/connection-health');
      expect(other.status).toBe(200);
      expect(other.body.items.map((h: { connectionId: string }) => h.connectionId)).not.toContain(ids.ottoConnection);
      expect((await api.call('GET', '/connection-health', { query: { since: 'yesterday' } })).status).toBe(400);
      expect((await api.call('GET', '/connection-health', { query: { sinse: '2026-01-01T00:00:00Z' } })).status).toBe(400);
    });
  });

  describe('"test connection" (issue 18)', () => {
    it("runs the connector's check for a draft and a saved connection, stores nothing; a refusal is 422 with the channel's reason", async () => {
      const draft = {
        type: 'serverspot',
        settings: { name: 'Draft shop', apiUrl: 'http://127.0.0.1:9/api' },
        secrets: { shopKey: 'DRAFT-KEY' },
      };
      const checker = await nats.respond(Rpc.serverspotCheckConnection, (req) =>
        (req as { shopKey?: string }).shopKey === 'WRONG'
          ? {
              ok: false,
              problem: { type: 'about:blank', title: 'Refused', status: 401, detail: 'The shop refused the key (401 Unauthorized)' },
            }
          : { ok: true, data: { reachable: true } },
      );
      try {
        const ok = await api.call('POST', '/connections/test', { body: draft });
        expect(ok.status).toBe(200);
        expect(ok.body).toMatchObject({ type: 'serverspot', checked: true });
        expect(ok.text).not.toContain('DRAFT-KEY');
        const refused = await api.call('POST', '/connections/test', { body: { ...draft, secrets: { shopKey: 'WRONG' } } });
        expect(refused.status).toBe(422);
        expect(refused.body.detail).toBe('The shop refused the key (401 Unauthorized)');
        // a saved connection: its stored key, or the form's unsaved one
        const saved = await api.call('POST', '/connections/{id}/test', { params: { id: ids.sspConnection }, body: {} });
        expect(saved.status).toBe(200);
        expect(checker.requests).toContainEqual(expect.objectContaining({ shopKey: 'SHOPKEY-SECRET' }));
        const unsaved = await api.call('POST', '/connections/{id}/test', {
          params: { id: ids.sspConnection },
          body: { secrets: { shopKey: 'WRONG' } },
        });
        expect(unsaved.status).toBe(422);
      } finally {
        checker.stop();
      }
      const otto = await api.call('POST', '/connections/{id}/test', { params: { id: ids.ottoConnection }, body: {} });
      expect(otto.body).toMatchObject({ type: 'otto', checked: false });
      expect((await apiB.call('POST', '/connections/{id}/test', { params: { id: ids.sspConnection }, body: {} })).status).toBe(404);
      const names = (await api.call('GET', '/connections')).body.items.map((c: { settings: { name: string } }) => c.settings.name);
      expect(names).not.toContain('Draft shop');
    });
  });

  describe('users and sessions (issue 18)', () => {
    it("the account's key creates, lists and deletes users; a user's password gives a session that works until signed out", async () => {
      const created = await api.call('POST', '/users', { body: { username: 'Anna@Shop.example', password: 'correct horse battery' } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ username: 'anna@shop.example' });
      expect(created.text).not.toContain('correct horse');
      expect(created.headers.get('location')).toBe(`/api/v1/users/${created.body.id}`);
      expect((await api.call('POST', '/users', { body: { username: 'anna@shop.example', password: 'another password' } })).status).toBe(
        409,
      );
      expect((await api.call('POST', '/users', { body: { username: 'bob', password: 'short' } })).status).toBe(400);
      expect((await api.call('GET', '/users')).body.items.map((u: { username: string }) => u.username)).toEqual(['anna@shop.example']);
      expect((await apiB.call('GET', '/users')).body.items).toEqual([]);
      expect((await apiB.call('DELETE', '/users/{id}', { params: { id: created.body.id } })).status).toBe(404);

      const wrong = await api.call('POST', '/sessions', { key: '', body: { username: 'anna@shop.example', password: 'wrong password!' } });
      expect(wrong.status).toBe(401);
      expect((await api.call('POST', '/sessions', { key: '', body: { username: 'nobody', password: 'whatever123' } })).status).toBe(401);
      const signedIn = await api.call('POST', '/sessions', {
        key: '',
        body: { username: 'ANNA@shop.example', password: 'correct horse battery' },
      });
      expect(signedIn.status).toBe(201);
      expect(signedIn.body.token).toMatch(/^ohs_/);
      expect(Date.parse(signedIn.body.expiresAt)).toBeGreaterThan(Date.now());
      const asAnna = api.withKey(signedIn.body.token);
      const connections = await asAnna.call('GET', '/connections');
      expect(connections.status).toBe(200);
      expect(connections.body.items.map((c: { id: string }) => c.id)).toContain(ids.ottoConnection);
      // a user works in the account but does not manage its users
      expect((await asAnna.call('POST', '/users', { body: { username: 'mallory', password: 'mallory-password' } })).status).toBe(403);
      expect((await api.call('DELETE', '/sessions/current')).status).toBe(400);
      expect((await asAnna.call('DELETE', '/sessions/current')).status).toBe(204);
      expect((await asAnna.call('GET', '/connections')).status).toBe(401);

      // deleting the user ends its sessions at once
      const again = await api.call('POST', '/sessions', {
        key: '',
        body: { username: 'anna@shop.example', password: 'correct horse battery' },
      });
      expect((await api.call('DELETE', '/users/{id}', { params: { id: created.body.id } })).status).toBe(204);
      expect((await api.withKey(again.body.token).call('GET', '/connections')).status).toBe(401);
      expect((await api.call('GET', '/users')).body.items).toEqual([]);
    });
  });

  describe('articles', () => {
    it('creates, reads, lists, replaces an article and sets its stock', async () => {
      const created = await api.call('POST', '/articles', { body: { sku: 'ART-1', ean: '4006381333931', title: 'Mug', price: 9.5 } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ sku: 'ART-1', title: 'Mug', accountId: a.accountId });
      ids.article = created.body.id;
      const one = await api.call('GET', '/articles/{id}', { params: { id: ids.article } });
      expect(one.status).toBe(200);
      const list = await api.call('GET', '/articles', { query: { sku: 'ART-1', limit: '10' } });
      expect(list.status).toBe(200);
      expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([ids.article]);
      const replaced = await api.call('PUT', '/articles/{id}', {
        params: { id: ids.article },
        body: { sku: 'ART-1', title: 'Big mug', price: 11 },
      });
      expect(replaced.status).toBe(200);
      expect(replaced.body.title).toBe('Big mug');
      const stock = await api.call('PUT', '/articles/{id}/stock', { params: { id: ids.article }, body: { stock: [{ quantity: 7 }] } });
      expect(stock.status).toBe(200);
      expect(stock.body.stock).toEqual([{ storageLocationId: 0, quantity: 7 }]);
      const invalid = await api.call('PUT', '/articles/{id}/stock', { params: { id: ids.article }, body: { stock: [] } });
      expect(invalid.status).toBe(400);
    });
  });

  describe('order file import (JIM-5, streamed to mail-ingest)', () => {
    const imp = { connection: '', jobId: '', rows: 0, file: Buffer.alloc(0), orders: [] as JimdoOrder[] };
    const finished = (client: ApiClient, jobId: string) =>
      waitFor(
        async () => {
          const res = await client.call('GET', '/imports/{jobId}', { params: { jobId } });
          return res.status === 200 && res.body.state !== 'running' ? res : undefined;
        },
        { what: `import job ${jobId}`, timeoutMs: 60_000 },
      );

    beforeAll(async () => {
      const jimdo = await api.call('POST', '/connections', {
        body: { type: 'jimdo', settings: { name: 'Jimdo shop', forwardTo: 'merchant@shop.example' }, secrets: {} },
      });
      expect(jimdo.status).toBe(201);
      imp.connection = jimdo.body.id;
      imp.orders = Array.from({ length: 3 }, (_, i) => generateJimdoOrder({ seed: 7100 + i, locale: 'de', positions: 2 }));
      imp.rows = imp.orders.reduce((n, o) => n + o.positions.length, 0);
      // Buffer.concat's bytes, never shared: typed so, as Blob parts (DOM types, for tests/web) must be.
      imp.file = buildJimdoCsvExport(imp.orders, { locale: 'de', separator: ';' }) as Buffer<ArrayBuffer>;
    });

    it('JIM-5: a multipart upload is 202 with the job; the job completes with its counts and the orders arrive', async () => {
      const form = new FormData();
      form.append('file', new Blob([imp.file], { type: 'text/csv' }), 'jimdo-export.csv');
      const res = await api.call('POST', '/imports/csv', { query: { connectionId: imp.connection }, form });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ jobId: expect.any(String), state: 'running', connectionId: imp.connection, skipDuplicates: true });
      expect(res.body).not.toHaveProperty('accountId');
      expect(res.headers.get('location')).toBe(`/api/v1/imports/${res.body.jobId}`);
      imp.jobId = res.body.jobId;
      const done = await finished(api, imp.jobId);
      expect(done.body).toMatchObject({
        jobId: imp.jobId,
        state: 'completed',
        fileName: 'jimdo-export.csv',
        rows: { imported: imp.rows, duplicate: 0, error: 0 },
        orders: { imported: 3, duplicate: 0, error: 0 },
        errors: [],
      });
      const rows = await api.call('GET', '/imports/{jobId}/rows', { params: { jobId: imp.jobId } });
      expect(rows.status).toBe(200);
      expect(rows.body.items).toHaveLength(imp.rows);
      expect(rows.body.items.every((r: { status: string }) => r.status === 'imported')).toBe(true);
      const errors = await api.call('GET', '/imports/{jobId}/rows', { params: { jobId: imp.jobId }, query: { status: 'error' } });
      expect(errors.body.items).toEqual([]);
      const paged = await api.call('GET', '/imports/{jobId}/rows', { params: { jobId: imp.jobId }, query: { limit: '2' } });
      expect(paged.body.items).toHaveLength(2);
      expect(paged.body.nextAfterRow).toBe(paged.body.items[1].row);
      const invalid = await api.call('GET', '/imports/{jobId}/rows', { params: { jobId: imp.jobId }, query: { limit: '0' } });
      expect(invalid.status).toBe(400);
      // HUB-1: the orders service got them, under the jimdo connection of account A
      const imported = await waitFor(async () => {
        const list = await api.call('GET', '/orders', { query: { connectionId: imp.connection } });
        return list.body.items.length === 3 ? list : undefined;
      });
      expect(imported.body.items.map((o: { externalId: string }) => o.externalId).sort()).toEqual(
        imp.orders.map((o) => o.orderNumber).sort(),
      );
    });

    it('JIM-5: the same file again (raw text/csv) reports every order as duplicate', async () => {
      const res = await api.call('POST', '/imports/csv', {
        query: { connectionId: imp.connection },
        rawBody: imp.file,
        contentType: 'text/csv; charset=utf-8',
      });
      expect(res.status).toBe(202);
      const done = await finished(api, res.body.jobId);
      expect(done.body).toMatchObject({
        state: 'completed',
        rows: { imported: 0, duplicate: imp.rows, error: 0 },
        orders: { duplicate: 3 },
      });
    });

    it("another account cannot read the job, and a client's X-Account-Id is ignored", async () => {
      const foreign = await apiB.call('GET', '/imports/{jobId}', { params: { jobId: imp.jobId } });
      expect(foreign.status).toBe(404);
      expect(foreign.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const foreignRows = await apiB.call('GET', '/imports/{jobId}/rows', { params: { jobId: imp.jobId } });
      expect(foreignRows.status).toBe(404);
      const spoofed = { 'X-Account-Id': a.accountId };
      const spoofedRead = await apiB.call('GET', '/imports/{jobId}', { params: { jobId: imp.jobId }, headers: spoofed });
      expect(spoofedRead.status).toBe(404);
      const spoofedUpload = await apiB.call('POST', '/imports/csv', {
        query: { connectionId: imp.connection },
        rawBody: imp.file,
        contentType: 'text/csv',
        headers: spoofed,
      });
      expect(spoofedUpload.status).toBe(404);
      expect(spoofedUpload.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      // and A's own header is overwritten with A's account, not taken from the client
      const own = await api.call('GET', '/imports/{jobId}', { params: { jobId: imp.jobId }, headers: { 'X-Account-Id': b.accountId } });
      expect(own.status).toBe(200);
    });

    it('refuses uploads without a connection, of another type, or larger than IMPORT_MAX_BYTES (413)', async () => {
      const noConnection = await api.call('POST', '/imports/csv', { rawBody: imp.file, contentType: 'text/csv' });
      expect(noConnection.status).toBe(400);
      expect(noConnection.body.errors[0].path).toBe('query.connectionId');
      const json = await api.call('POST', '/imports/csv', { query: { connectionId: imp.connection }, body: { rows: [] } });
      expect(json.status).toBe(415);
      const empty = await api.call('POST', '/imports/csv', {
        query: { connectionId: imp.connection },
        rawBody: '',
        contentType: 'text/csv',
      });
      expect(empty.status).toBe(400);
      const otto = await api.call('POST', '/imports/csv', {
        query: { connectionId: ids.ottoConnection },
        rawBody: imp.file,
        contentType: 'text/csv',
      });
      expect(otto.status).toBe(404);

      // The gateway answers an upload it refuses before reading it to the end, then discards the rest
      // for a bounded time before it closes; these uploads stop writing once the answer is there.
      const path = `/api/v1/imports/csv?connectionId=${imp.connection}`;
      const declared = await uploadUntilAnswered(gateway.port, path, {
        'content-type': 'text/csv',
        'content-length': String(IMPORT_LIMIT + 1024),
      });
      expect(declared.status).toBe(413);
      expect(declared.type).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(declared.text)).toMatchObject({ status: 413, detail: expect.stringContaining(String(IMPORT_LIMIT)) });
      // chunked (no Content-Length): counted while it streams
      // A client starved for longer than the gateway lingers can still meet the reset before it reads
      // the answer (a loaded CI machine): try again.
      const streamed = await retryOnReset(() =>
        uploadUntilAnswered(gateway.port, path, { 'content-type': 'text/csv', 'transfer-encoding': 'chunked' }),
      );
      expect(streamed.status).toBe(413);
      api.covered.add('POST /imports/csv');
      // the gateway still serves the next request
      const after = await api.call('GET', '/imports/{jobId}', { params: { jobId: imp.jobId } });
      expect(after.status).toBe(200);
    });

    it('is 503 problem while mail-ingest is unreachable', async () => {
      const down = await startGateway(iso, { MAIL_INGEST_URL: `http://127.0.0.1:${await freePort()}` });
      try {
        const client = new ApiClient(down.url, a.apiKey);
        (client as { covered: Set<string> }).covered = api.covered;
        const upload = await client.call('POST', '/imports/csv', {
          query: { connectionId: imp.connection },
          rawBody: imp.file,
          contentType: 'text/csv',
        });
        expect(upload.status).toBe(503);
        expect(upload.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(upload.body).toMatchObject({ status: 503, type: expect.stringContaining('unavailable') });
        const read = await client.call('GET', '/imports/{jobId}', { params: { jobId: imp.jobId } });
        expect(read.status).toBe(503);
        const rows = await client.call('GET', '/imports/{jobId}/rows', { params: { jobId: imp.jobId } });
        expect(rows.status).toBe(503);
      } finally {
        await down.stop();
      }
    });

    it('JIM: an order mail that cannot be parsed is listed as parked with its reason, can be reprocessed and dropped', async () => {
      const empty = await apiB.call('GET', '/mail/parked');
      expect(empty.status).toBe(200);
      expect(empty.body.items).toEqual([]);
      const inbound = `${imp.connection}-jimdo-orderimport@orders.orderhub.local`;
      const raw =
        `From: shop@jimdo.com\r\nTo: ${inbound}\r\nSubject: Neue Bestellung Nr. 880011 in deinem Shop\r\n` +
        `Message-ID: <gateway-parked-1@jimdo.com>\r\n\r\nBestellnummer: 880011\r\nBestelldatum: 20.11.2026, 10:15 Uhr\r\n\r\nDie Artikelliste fehlt.\r\n`;
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
      try {
        await transport.sendMail({ envelope: { from: 'shop@jimdo.com', to: [inbound] }, raw });
      } finally {
        transport.close();
      }
      const parked = await waitFor(
        async () => {
          const list = await api.call('GET', '/mail/parked', { query: { limit: '10' } });
          return list.body.items.find((m: { orderNumber?: string }) => m.orderNumber === '880011');
        },
        { what: 'parked mail' },
      );
      expect(parked).toMatchObject({ reason: expect.any(String), connectionIds: [imp.connection] });
      const otherAccount = await apiB.call('GET', '/mail/parked');
      expect(otherAccount.body.items).toEqual([]);
      const foreign = await apiB.call('POST', '/mail/{mailId}/reprocess', { params: { mailId: parked.id } });
      expect(foreign.status).toBe(404);
      const again = await api.call('POST', '/mail/{mailId}/reprocess', { params: { mailId: parked.id } });
      expect(again.status).toBe(202);
      expect(again.body).toEqual({ mailId: parked.id, state: 'received' });
      const unknown = await api.call('POST', '/mail/{mailId}/reprocess', { params: { mailId: 'no-such-mail' } });
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const badLimit = await api.call('GET', '/mail/parked', { query: { limit: '1000' } });
      expect(badLimit.status).toBe(400);

      // read again, still without articles: parked again; the merchant drops it (handled by hand)
      const parkedAgain = async () =>
        (await api.call('GET', '/mail/parked', { query: { limit: '10' } })).body.items.some((m: { id: string }) => m.id === parked.id);
      await waitFor(parkedAgain, { what: 'the reprocessed mail parked again' });
      const foreignDrop = await apiB.call('DELETE', '/mail/parked/{mailId}', { params: { mailId: parked.id } });
      expect(foreignDrop.status).toBe(404);
      const dropped = await api.call('DELETE', '/mail/parked/{mailId}', { params: { mailId: parked.id } });
      expect(dropped.status).toBe(204);
      expect(await parkedAgain()).toBe(false);
      const droppedTwice = await api.call('DELETE', '/mail/parked/{mailId}', { params: { mailId: parked.id } });
      expect(droppedTwice.status).toBe(404);
    });
  });

  describe('problems for bad input', () => {
    it('415 for a write that is not JSON', async () => {
      const res = await api.call('POST', '/articles', { rawBody: 'title=Mug', contentType: 'application/x-www-form-urlencoded' });
      expect(res.status).toBe(415);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const none = await api.call('PUT', '/articles/{id}', { params: { id: 'x' }, rawBody: '{"title":"x"}' });
      expect(none.status).toBe(415);
    });

    it('400 for malformed JSON and a missing required body', async () => {
      const res = await api.call('POST', '/articles', { rawBody: '{"title": ', contentType: 'application/json' });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const missing = await api.call('POST', '/articles');
      expect(missing.status).toBe(400);
    });

    it('413 for a body above BODY_LIMIT_BYTES', async () => {
      const res = await api.call('POST', '/articles', { body: { title: 'x'.repeat(BODY_LIMIT * 2) } });
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ status: 413 });
    });

    it('404 problem for unknown routes and ids, 405 for a wrong method', async () => {
      const unknown = await api.call('GET', '/nothing-here');
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const outside = await fetch(`${gateway.url}/not/an/api`);
      expect(outside.status).toBe(404);
      expect(outside.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const missingOrder = await api.call('GET', '/orders/{id}', { params: { id: '000000000000000000000000' } });
      expect(missingOrder.status).toBe(404);
      const garbageId = await api.call('GET', '/orders/{id}', { params: { id: 'not an id!' } });
      expect(garbageId.status).toBe(400);
      const wrongMethod = await api.call('DELETE', '/orders');
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.get('allow')).toBe('GET');
    });
  });

  describe('tenant isolation', () => {
    it("account B gets 404 for account A's order, connection and article on every route with an id", async () => {
      const positions = [{ title: 'x', quantity: 1, unitPrice: 1, totalPrice: 1 }];
      const attempts: [string, string, string, unknown?][] = [
        ['GET', '/connections/{id}', ids.ottoConnection],
        ['PATCH', '/connections/{id}', ids.ottoConnection, { settings: { name: 'taken over' } }],
        ['POST', '/connections/{id}/sync', ids.ottoConnection],
        ['GET', '/connection-health/{id}', ids.ottoConnection],
        ['DELETE', '/connections/{id}', ids.ottoConnection],
        ['GET', '/orders/{id}', ids.ottoOrder],
        ['PUT', '/orders/{id}/state', ids.ottoOrder, { state: 2 }],
        ['POST', '/orders/{id}/shipments', ids.ottoOrder, { carrier: 'DHL', trackingNumber: '1' }],
        ['POST', '/orders/{id}/tags', ids.ottoOrder, { add: ['mine'] }],
        ['POST', '/orders/{id}/invoice', ids.sspOrder],
        ['POST', '/orders/{id}/cancel', ids.ottoOrder],
        ['PUT', '/orders/{id}/positions', ids.sspOrder, { positions }],
        ['GET', '/orders/{id}/raw', ids.ottoOrder],
        ['POST', '/orders/{id}/write-back/resend', ids.ottoOrder],
        ['GET', '/connections/{id}/parked-orders', ids.ottoConnection],
        ['GET', '/articles/{id}', ids.article],
        ['PUT', '/articles/{id}', ids.article, { title: 'taken over' }],
        ['PUT', '/articles/{id}/stock', ids.article, { stock: [{ quantity: 0 }] }],
      ];
      for (const [method, template, id, body] of attempts) {
        const res = await apiB.call(method, template, { params: { id }, body });
        expect({ route: `${method} ${template}`, status: res.status }).toEqual({ route: `${method} ${template}`, status: 404 });
      }
      const retry = '/connections/{id}/parked-orders/{externalId}/retry';
      const foreignRetry = await apiB.call('POST', retry, { params: { id: ids.ottoConnection, externalId: '4711' } });
      expect(foreignRetry.status).toBe(404);
      const drop = '/connections/{id}/parked-orders/{externalId}';
      expect((await apiB.call('DELETE', drop, { params: { id: ids.ottoConnection, externalId: '4711' } })).status).toBe(404);
      // The owner's own parked orders are the connector's answer (channel-otto/test/parked.spec.ts).
      const listB = await apiB.call('GET', '/orders');
      expect(listB.body.items).toEqual([]);
      const connectionsB = await apiB.call('GET', '/connections');
      expect(connectionsB.body.items).toEqual([]);
      // A's data is untouched
      const still = await api.call('GET', '/connections/{id}', { params: { id: ids.ottoConnection } });
      expect(still.body.settings.name).toBe('OTTO main');
    });

    it('deletes a connection; afterwards it is 404', async () => {
      const res = await api.call('DELETE', '/connections/{id}', { params: { id: ids.sspConnection } });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      const gone = await api.call('GET', '/connections/{id}', { params: { id: ids.sspConnection } });
      expect(gone.status).toBe(404);
    });
  });

  describe('rate limit', () => {
    let limited: ServiceProcess;
    afterAll(async () => {
      await limited?.stop();
    });

    it('429 with Retry-After once the bucket of the key is empty; other keys are unaffected', async () => {
      limited = await startGateway(iso, { RATE_LIMIT_PER_SECOND: '0.2', RATE_LIMIT_BURST: '3' });
      const client = new ApiClient(limited.url, a.apiKey);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await client.call('GET', '/connections')).status);
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      const res = await client.call('GET', '/connections');
      expect(res.status).toBe(429);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const other = await client.call('GET', '/connections', { key: b.apiKey });
      expect(other.status).toBe(200);
    });
  });

  it("the web app's live feed needs a key; dead letters of the account only (another's or unknown: 404)", async () => {
    const events = await api.call('GET', '/events', { key: '' });
    expect(events.status).toBe(401);
    const list = await api.call('GET', '/dead-letters');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
    expect((await api.call('POST', '/dead-letters/{seq}/replay', { params: { seq: '1' } })).status).toBe(404);
    expect((await api.call('DELETE', '/dead-letters/{seq}', { params: { seq: '1' } })).status).toBe(404);
  });

  it('every route of the OpenAPI document was called by a test above', () => {
    const missing: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      if (COVERED_ELSEWHERE.some((prefix) => path.startsWith(prefix))) continue;
      for (const method of Object.keys(item)) {
        const key = `${method.toUpperCase()} ${path.replace(/^\/api\/v1/, '')}`;
        if (!api.covered.has(key)) missing.push(key);
      }
    }
    expect(missing).toEqual([]);
  });
});
