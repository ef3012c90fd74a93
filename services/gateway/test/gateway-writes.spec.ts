import { type AccountCreated, Rpc } from '@orderhub/contracts';
import { isolate, type ServiceProcess, type TestIsolation } from '@orderhub/testkit';
import { ApiClient, startGateway, startOrders, TestNats } from './support';

/** Issue 15 at the gateway: a write can be retried safely, and an unknown outcome is not called "not done". */
describe('gateway writes (issue 15)', () => {
  let iso: TestIsolation;
  let orders: ServiceProcess;
  let gateway: ServiceProcess;
  let nats: TestNats;
  let a: AccountCreated;
  let api: ApiClient;

  beforeAll(async () => {
    iso = isolate('gwwrites');
    orders = await startOrders(iso);
    gateway = await startGateway(iso, { RATE_LIMIT_PER_SECOND: '1000', RATE_LIMIT_BURST: '1000' });
    nats = await TestNats.connect(iso);
    a = await nats.createAccount('Writes GmbH');
    api = new ApiClient(gateway.url, a.apiKey);
  }, 120_000);

  afterAll(async () => {
    await nats?.close();
    await gateway?.stop();
    await orders?.stop();
  });

  it('IDEM-1: a POST repeated with the same Idempotency-Key gets the first answer and is done once', async () => {
    const body = { sku: 'IDEM-1', title: 'Mug', price: 9.5 };
    const headers = { 'Idempotency-Key': 'create-mug-1' };
    const first = await api.call('POST', '/articles', { body, headers });
    expect(first.status).toBe(201);
    const again = await api.call('POST', '/articles', { body, headers });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const list = await api.call('GET', '/articles', { query: { sku: 'IDEM-1' } });
    expect(list.body.items).toHaveLength(1);
    // without the key the same POST is a new request (and the SKU is taken)
    expect((await api.call('POST', '/articles', { body })).status).toBe(409);
    // the same key for another request is refused
    const other = await api.call('POST', '/articles', { body: { ...body, title: 'Cup' }, headers });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('IDEM-2: when the orders service answers after the timeout, a write is 202 "outcome unknown" with the resource link, not 503', async () => {
    // a NATS prefix of its own, where the test plays an orders service that takes the shipment but answers too late
    const alone = { ...iso, natsPrefix: `${iso.natsPrefix}late` };
    const playing = await TestNats.connect(alone);
    const auth = await playing.respond(Rpc.accountsAuthenticate, () => ({
      ok: true,
      data: { accountId: a.accountId, apiKeyId: a.apiKeyId },
    }));
    const late = playing.nc.subscribe(playing.subject(Rpc.ordersAddShipment));
    await playing.nc.flush();
    const slow = await startGateway(alone, { RPC_TIMEOUT_MS: '500' });
    try {
      const client = new ApiClient(slow.url, a.apiKey);
      const res = await client.call('POST', '/orders/{id}/shipments', {
        params: { id: 'order-1' },
        body: { carrier: 'DHL', trackingNumber: '123' },
        headers: { 'Idempotency-Key': 'ship-order-1' },
      });
      expect(res.status).toBe(202);
      expect(res.headers.get('location')).toBe('/api/v1/orders/order-1');
      expect(res.body).toMatchObject({ state: 'unknown', resource: '/api/v1/orders/order-1' });
      // a retry with the same key does not send it again: the outcome is still unknown
      const retry = await client.call('POST', '/orders/{id}/shipments', {
        params: { id: 'order-1' },
        body: { carrier: 'DHL', trackingNumber: '123' },
        headers: { 'Idempotency-Key': 'ship-order-1' },
      });
      expect(retry.status).toBe(202);
      expect(late.getReceived()).toBe(1); // sent once, not again on the retry
    } finally {
      late.unsubscribe();
      auth.stop();
      await slow.stop();
      await playing.close();
    }
  }, 90_000);
});
