import {
  type AccountCreated,
  billbeeIdFor,
  type ConnectionView,
  Rpc,
  verifyWebhookSignature,
  type WebhookDelivery,
  type WebhookSubscription,
} from '@orderhub/contracts';
import { channelOrderFixture, HubClient, isolate, ServiceEnv, ServiceProcess, waitFor, withDatabase } from '@orderhub/testkit';
import { LoopbackReceiver } from './receiver';

const SECRET_A = 'a'.repeat(20) + 'secret-of-account-a';
const SECRET_B = 'b'.repeat(20) + 'secret-of-account-b';

describe('webhooks service: signed, retried, durable deliveries of order events (real NATS/FerretDB)', () => {
  const iso = isolate('webhooks');
  const env = new ServiceEnv();
  const webhooksEnv = {
    MONGO_URL: withDatabase(iso.mongoUrl, `${iso.dbName}_wh`),
    NATS_URL: iso.natsUrl,
    NATS_PREFIX: iso.natsPrefix,
    SECRETS_KEYS: `k1:${env.secretsKey}`,
    SECRETS_ACTIVE_KEY: 'k1',
    WEBHOOK_POLL_MS: '100',
    WEBHOOK_RETRY_BASE_MS: '100',
    WEBHOOK_RETRY_MAX_MS: '1000',
    WEBHOOK_LEASE_MS: '3000',
    // a copy outlives every test: a change must reach the other replica by its notice
    WEBHOOK_SUBSCRIPTIONS_CACHE_MS: '600000',
  };
  let orders: ServiceProcess;
  let webhooks: ServiceProcess;
  let hub: HubClient;
  let a: AccountCreated;
  let b: AccountCreated;
  let connA: ConnectionView;
  let connB: ConnectionView;
  let receiverA: LoopbackReceiver;
  let receiverB: LoopbackReceiver;

  const connection = (accountId: string) =>
    hub.createConnection(accountId, {
      type: 'serverspot',
      settings: { name: 'Shop', apiUrl: 'http://127.0.0.1:9/api', syncDirection: 'channelToHub' },
      secrets: { shopKey: 'k' },
      verify: false,
    });
  const order = (externalId: string) =>
    channelOrderFixture(externalId, {
      positions: [{ externalId: `${externalId}-1`, title: 'Shirt', quantity: 1, unitPrice: 10, totalPrice: 10 }],
    });
  const subscribe = (accountId: string, uri: string, secret: string, filters = ['order.created']) =>
    hub.ask<WebhookSubscription>(Rpc.webhooksCreate, accountId, { uri, secret, filters, properties: { tenant: accountId } });

  beforeAll(async () => {
    [orders, webhooks] = await Promise.all([env.startOrders(iso), ServiceProcess.start('services/webhooks', webhooksEnv)]);
    hub = await HubClient.connect(iso, { actor: 'api-key:test' });
    [a, b] = await Promise.all([hub.createAccount('Webhook A'), hub.createAccount('Webhook B')]);
    [connA, connB] = await Promise.all([connection(a.accountId), connection(b.accountId)]);
    [receiverA, receiverB] = await Promise.all([LoopbackReceiver.start(), LoopbackReceiver.start()]);
    await subscribe(a.accountId, receiverA.url, SECRET_A, ['order.created', 'order.state-changed']);
    await subscribe(b.accountId, receiverB.url, SECRET_B);
  });

  afterAll(async () => {
    if (process.env.WEBHOOKS_TEST_LOGS) process.stdout.write(webhooks?.logs() ?? '');
    await hub?.close();
    await Promise.all([orders?.stop(), webhooks?.stop(), receiverA?.close(), receiverB?.close()]);
  });

  it('BILLBEE-WH-1: a loopback receiver gets a signed order.created delivery within 2 s of the import', async () => {
    const handedInAt = Date.now();
    const imported = await hub.importOrder(a.accountId, connA.id, 'serverspot', order('WH-FAST'));
    const delivery = await waitFor(() => receiverA.about(imported.id)[0], { what: 'delivery', timeoutMs: 20_000 });
    // from the connector's hand-in: import, outbox relay, JetStream, stored delivery, POST
    expect(delivery.at - handedInAt).toBeLessThan(2_000);
    expect(verifyWebhookSignature(delivery.raw, SECRET_A, delivery.headers['ms-signature'] as string)).toBe(true);
    expect(verifyWebhookSignature(delivery.raw, SECRET_B, delivery.headers['ms-signature'] as string)).toBe(false);
    expect(delivery.body).toMatchObject({ Attempt: 1, Properties: { tenant: a.accountId } });
    expect(delivery.body.Notifications[0]).toMatchObject({
      Action: 'order.created',
      BillBeeOrderId: billbeeIdFor('order', imported.id),
      Id: 'WH-FAST',
      State: 3,
    });
    expect(delivery.headers['x-orderhub-delivery-id']).toBe(delivery.body.Id);
  });

  it('BILLBEE-WH-2: a receiver answering 500 five times gets the delivery on the sixth try, same delivery id, listed as delivered', async () => {
    const failing = await LoopbackReceiver.start();
    const failures = new Map<string, number>();
    failing.status = (d) => {
      const n = failures.get(d.body.Id) ?? 0;
      failures.set(d.body.Id, n + 1);
      return n < 5 ? 500 : 200;
    };
    const sub = await subscribe(a.accountId, failing.url, SECRET_A);
    try {
      const imported = await hub.importOrder(a.accountId, connA.id, 'serverspot', order('WH-RETRY'));
      await waitFor(() => failing.about(imported.id).length >= 6, { what: 'six attempts', timeoutMs: 60_000 });
      const attempts = failing.about(imported.id);
      expect(attempts.map((d) => d.body.Attempt)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(new Set(attempts.map((d) => d.body.Id)).size).toBe(1);
      const listed = await waitFor(
        async () =>
          (await hub.ask<WebhookDelivery[]>(Rpc.webhooksDeliveries, a.accountId, { subscriptionId: sub.id })).find(
            (d) => d.orderId === imported.id && d.status === 'delivered',
          ),
        { what: 'delivery listed as delivered' },
      );
      expect(listed).toMatchObject({ id: attempts[0]!.body.Id, attempts: 6, lastStatus: 200, action: 'order.created' });
      // waits grew: each gap at least the previous backoff (100, 200, 400, 800 ms, capped at 1 s)
      const gaps = attempts.slice(1).map((d, i) => d.at - attempts[i]!.at);
      expect(gaps[3]!).toBeGreaterThanOrEqual(gaps[0]!);
      // the worker marks the delivery first and clears the subscription's failure mark right after
      await waitFor(
        async () =>
          (await hub.ask<WebhookSubscription>(Rpc.webhooksGet, a.accountId, { subscriptionId: sub.id })).failingSince === undefined,
        { what: 'the subscription no longer marked failing' },
      );
    } finally {
      await hub.ask(Rpc.webhooksDelete, a.accountId, { subscriptionId: sub.id });
      await failing.close();
    }
  });

  it("BILLBEE-WH-3: nothing is delivered to another account's subscriber; its subscriptions are not visible either", async () => {
    const orderA = await hub.importOrder(a.accountId, connA.id, 'serverspot', order('WH-TENANT-A'));
    const orderB = await hub.importOrder(b.accountId, connB.id, 'serverspot', order('WH-TENANT-B'));
    await waitFor(() => receiverA.about(orderA.id).length > 0 && receiverB.about(orderB.id).length > 0, { what: 'both deliveries' });
    const deliveriesA = await hub.ask<WebhookDelivery[]>(Rpc.webhooksDeliveries, a.accountId, {});
    expect(deliveriesA.filter((d) => d.orderId === orderA.id)).toHaveLength(1);
    expect(receiverB.received.flatMap((d) => d.body.Notifications.map((n) => n.OrderId))).not.toContain(orderA.id);
    expect(receiverA.received.flatMap((d) => d.body.Notifications.map((n) => n.OrderId))).not.toContain(orderB.id);
    expect((await hub.ask<WebhookDelivery[]>(Rpc.webhooksDeliveries, b.accountId, {})).map((d) => d.orderId)).not.toContain(orderA.id);
    const subsA = await hub.ask<WebhookSubscription[]>(Rpc.webhooksList, a.accountId, {});
    const problem = await hub.refusal(Rpc.webhooksGet, {
      accountId: b.accountId,
      actor: 'api-key:test',
      body: { subscriptionId: subsA[0]!.id },
    });
    expect(problem.status).toBe(404);
    expect(
      (await hub.refusal(Rpc.webhooksDelete, { accountId: b.accountId, actor: 'api-key:test', body: { subscriptionId: subsA[0]!.id } }))
        .status,
    ).toBe(404);
  });

  it('a subscription created on one replica counts at once on the other, which had read the account before', async () => {
    const second = await ServiceProcess.start('services/webhooks', webhooksEnv);
    const receiverC = await LoopbackReceiver.start();
    try {
      const c = await hub.createAccount('Webhook C');
      const connC = await connection(c.accountId);
      /** Order events this replica has handled (each reads who subscribed to its account). */
      const handled = async (p: ServiceProcess) => {
        const text = await (await fetch(`${p.metricsUrl}/metrics`)).text();
        return text
          .split('\n')
          .filter((l) => l.startsWith('orderhub_message_handler_duration_seconds_count{') && l.includes('order.>'))
          .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
      };
      const before = [await handled(webhooks), await handled(second)] as const;
      let warm = 0;
      await waitFor(
        async () => {
          await hub.importOrder(c.accountId, connC.id, 'serverspot', order(`WH-WARM-${warm++}`));
          return (await handled(webhooks)) > before[0] && (await handled(second)) > before[1];
        },
        { what: 'both replicas handling an event of the account without subscriptions', timeoutMs: 60_000 },
      );
      await subscribe(c.accountId, receiverC.url, 'c'.repeat(40));
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) ids.push((await hub.importOrder(c.accountId, connC.id, 'serverspot', order(`WH-AFTER-${i}`))).id);
      await waitFor(() => ids.every((id) => receiverC.about(id).length > 0), {
        what: 'a delivery for every order imported after the subscription',
      });
    } finally {
      await Promise.all([second.stop(), receiverC.close()]);
    }
  });

  it('BILLBEE-WH-4: a secret shorter than 32 characters or an unknown filter is refused', async () => {
    const short = await hub.refusal(Rpc.webhooksCreate, {
      accountId: a.accountId,
      actor: 'api-key:test',
      body: { uri: receiverA.url, secret: 'x'.repeat(31), filters: ['order.created'] },
    });
    expect(short.status).toBe(400);
    const filter = await hub.refusal(Rpc.webhooksCreate, {
      accountId: a.accountId,
      actor: 'api-key:test',
      body: { uri: receiverA.url, secret: 'x'.repeat(32), filters: ['order.exploded'] },
    });
    expect(filter.status).toBe(400);
  });

  it('BILLBEE-WH-5: a kill -9 of the webhooks service loses no delivery (pending retries and events that arrived while it was down)', async () => {
    const receiver = await LoopbackReceiver.start();
    let accept = false;
    const accepted = new Set<string>();
    receiver.status = (d) => {
      if (!accept) return 503;
      for (const n of d.body.Notifications) accepted.add(n.OrderId as string);
      return 200;
    };
    const sub = await subscribe(b.accountId, receiver.url, SECRET_B);
    const before = await Promise.all(
      ['K1', 'K2', 'K3', 'K4'].map((id) => hub.importOrder(b.accountId, connB.id, 'serverspot', order(`WH-KILL-${id}`))),
    );
    await waitFor(() => before.every((o) => receiver.about(o.id).length > 0), { what: 'first attempts before the kill' });
    expect(await webhooks.stop('SIGKILL')).toBeNull();
    const during = await Promise.all(
      ['K5', 'K6'].map((id) => hub.importOrder(b.accountId, connB.id, 'serverspot', order(`WH-KILL-${id}`))),
    );
    accept = true;
    await webhooks.launch();
    const all = [...before, ...during];
    await waitFor(() => all.every((o) => accepted.has(o.id)), {
      what: 'every order delivered after the restart',
      timeoutMs: 60_000,
    });
    const delivered = await waitFor(
      async () => {
        const list = await hub.ask<WebhookDelivery[]>(Rpc.webhooksDeliveries, b.accountId, { subscriptionId: sub.id });
        return list.filter((d) => d.status === 'delivered').length === all.length ? list : undefined;
      },
      { what: 'all listed as delivered' },
    );
    expect(new Set(delivered.map((d) => d.orderId))).toEqual(new Set(all.map((o) => o.id)));
    await receiver.close();
  });
});
