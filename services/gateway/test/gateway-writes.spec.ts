import { Rpc } from '@orderhub/contracts';
import { ApiClient, startGateway, TestNats, useGatewayStack } from './support';

/** Issue 15 at the gateway: a write can be retried safely, and an unknown outcome is not called "not done". */
describe('gateway writes (issue 15)', () => {
  const gw = useGatewayStack('gwwrites', 'Writes GmbH');

  it('IDEM-1: a POST repeated with the same Idempotency-Key gets the first answer and is done once', async () => {
    const body = { sku: 'IDEM-1', title: 'Mug', price: 9.5 };
    const headers = { 'Idempotency-Key': 'create-mug-1' };
    const first = await gw.api.call('POST', '/articles', { body, headers });
    expect(first.status).toBe(201);
    const again = await gw.api.call('POST', '/articles', { body, headers });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const list = await gw.api.call('GET', '/articles', { query: { sku: 'IDEM-1' } });
    expect(list.body.items).toHaveLength(1);
    // without the key the same POST is a new request (and the SKU is taken)
    expect((await gw.api.call('POST', '/articles', { body })).status).toBe(409);
    // the same key for another request is refused
    const other = await gw.api.call('POST', '/articles', { body: { ...body, title: 'Cup' }, headers });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('IDEM-2: when the orders service answers after the timeout, a write is 202 "outcome unknown" with the resource link, not 503', async () => {
    // a NATS prefix of its own, where the test plays an orders service that takes the shipment but answers too late
    const alone = { ...gw.iso, natsPrefix: `${gw.iso.natsPrefix}late` };
    const playing = await TestNats.connect(alone);
    const auth = await playing.respond(Rpc.accountsAuthenticate, () => ({
      ok: true,
      data: { accountId: gw.account.accountId, apiKeyId: gw.account.apiKeyId },
    }));
    const late = playing.nc.subscribe(playing.subject(Rpc.ordersAddShipment));
    await playing.nc.flush();
    // The timeout also bounds the API key check, which must answer in time on a loaded machine; the
    // shipment never gets an answer, so it times out whatever the value.
    const slow = await startGateway(alone, { RPC_TIMEOUT_MS: '3000' });
    try {
      const client = new ApiClient(slow.url, gw.account.apiKey);
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
