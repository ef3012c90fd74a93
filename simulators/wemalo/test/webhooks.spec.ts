import express from 'express';
import { listenOnLoopback, type RunningSimulator } from '@orderhub/sim-kit';
import { goodsOrder, product, startWemalo, until, type Harness } from './harness';

/** A client's webhook endpoint: records bodies and fails while `failing` is set. */
async function startReceiver() {
  const received: { token: string; eventData: Record<string, unknown> }[] = [];
  const state = { failing: false, hits: 0 };
  const app = express();
  app.post('/hook', express.json(), (req, res) => {
    state.hits += 1;
    if (state.failing) return void res.status(503).end();
    received.push(req.body);
    res.status(200).json({ ok: true });
  });
  const server: RunningSimulator = await listenOnLoopback(app);
  return { received, state, url: `${server.url}/hook`, close: () => server.close() };
}

describe('wemalo simulator: webhooks', () => {
  let h: Harness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeEach(async () => {
    h = await startWemalo({ webhook: { retryDelayMs: 5, timeoutMs: 1000 } });
    receiver = await startReceiver();
    await h.call('POST', '/product/add', product(1));
  });
  afterEach(async () => {
    await h.close();
    await receiver.close();
  });

  it('WEM-6: delivers status_update and trackingnumber_added with the registered token in the body', async () => {
    await h.call('POST', '/webhook/status_update', { payload: receiver.url, token: 'hook-secret', email: 'ops@example.org' });
    await h.call('POST', '/webhook/trackingnumber_added', { payload: receiver.url, token: 'hook-secret', email: 'ops@example.org' });
    expect((await h.call('GET', '/webhook')).body.hooks).toHaveLength(2);

    await h.call('POST', '/goodsOrder/add', goodsOrder('o-1', [{ externalId: 'art-1', quantity: 1 }]));
    await h.admin('POST', '/goodsOrders/o-1/advance', { to: 'SHIPPED' });
    await until(() => receiver.received.length === 5);

    expect(receiver.received.every((b) => b.token === 'hook-secret')).toBe(true);
    const statuses = receiver.received.filter((b) => 'statusName' in b.eventData).map((b) => b.eventData.statusName);
    expect(statuses).toEqual(['INPROCESS', 'READYFORSHIPMENT', 'PACKED', 'SHIPPED']);
    const tracking = receiver.received.find((b) => 'goodsOrderParcelId' in b.eventData);
    expect(tracking?.eventData).toEqual({
      goodsOrderId: expect.any(Number),
      goodsOrderParcelId: expect.any(Number),
      goodsOrderExternalId: 'o-1',
    });
    const parcel = await h.call('GET', `/goodsOrder/package/${String(tracking?.eventData.goodsOrderParcelId)}/trackingNumber`);
    expect(parcel.body).toMatchObject({ carrier: 'DHL', trackingNumber: expect.stringMatching(/^00340434/) });
  });

  it('retries a failed delivery until the receiver answers 2xx', async () => {
    await h.call('POST', '/webhook/status_update', { payload: receiver.url, token: 't', email: 'ops@example.org' });
    receiver.state.failing = true;
    await h.call('POST', '/goodsOrder/add', goodsOrder('o-1', [{ externalId: 'art-1', quantity: 1 }]));
    await h.call('PUT', '/goodsOrder/cancel/o-1', { reason: 'test' });
    await until(() => receiver.state.hits >= 3);
    receiver.state.failing = false;
    await until(() => receiver.received.length === 1);
    expect(receiver.received[0]?.eventData).toMatchObject({ externalId: 'o-1', statusName: 'CANCELLED', orderNumber: 'ON-o-1' });
    expect((await h.call('GET', '/webhook')).body.hooks).toHaveLength(1);
  });

  it('unregisters a hook after 10 failed attempts in a row and notes the deactivation mail', async () => {
    await h.call('POST', '/webhook/status_update', { payload: receiver.url, token: 't', email: 'ops@example.org' });
    receiver.state.failing = true;
    await h.call('POST', '/goodsOrder/add', goodsOrder('o-1', [{ externalId: 'art-1', quantity: 1 }]));
    await h.call('PUT', '/goodsOrder/cancel/o-1', { reason: 'test' });
    await until(async () => (await h.call('GET', '/webhook')).body.hooks.length === 0);
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.state.hits).toBe(10);
    const log = await h.admin('GET', '/webhooks');
    expect(log.body.deactivationNotices).toEqual([
      expect.objectContaining({ event: 'status_update', email: 'ops@example.org', subject: "webhook event 'status_update' deactivated !" }),
    ]);
    expect(log.body.pending).toBe(0);
  });
});
