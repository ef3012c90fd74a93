import type { AccountCreated, ConnectionHealth, ConnectionView, Order } from '@orderhub/contracts';
import { ConnectorHealth, Subjects } from '@orderhub/contracts';
import { durableName } from '@orderhub/connector-kit';
import type { TestIsolation } from '@orderhub/testkit';
import {
  connectorEnv,
  Hub,
  isolate,
  ORDERS_WORKSPACE,
  ordersEnv,
  ServiceProcess,
  shopOrder,
  uid,
  waitFor,
  WebhookForwarder,
  wemaloConnection,
  WemaloSim,
} from './harness';

const SERVICE = 'fulfillment-wemalo';
const RECEIVED = 'order_received_by_wemalo';

/**
 * HUB-3 for wemalo (issue 15): wemalo locks the account for a while and answers 401 to the goods-order
 * hand-off. The write-back waits (visible on the order and on the connection, nothing recorded as
 * failed), a "resend write-back" through the gateway meanwhile waits too, and once wemalo takes the
 * token again the goods order goes out exactly once, without the merchant changing the connection.
 * A resend of an order wemalo already has sends nothing.
 */
describe('fulfillment-wemalo: a goods order wemalo refuses with 401 waits, and "resend write-back" sends it once', () => {
  let iso: TestIsolation;
  let wemalo: WemaloSim;
  let forwarder: WebhookForwarder;
  let orders: ServiceProcess;
  let connector: ServiceProcess;
  let gateway: ServiceProcess;
  let hub: Hub;
  let account: AccountCreated;
  let shop: ConnectionView;

  beforeAll(async () => {
    iso = isolate('wemresend');
    wemalo = await WemaloSim.start();
    forwarder = await WebhookForwarder.start();
    orders = await ServiceProcess.start(ORDERS_WORKSPACE, ordersEnv(iso));
    connector = await ServiceProcess.start('services/fulfillment-wemalo', connectorEnv(iso, forwarder.url));
    forwarder.target = connector.url;
    gateway = await ServiceProcess.start('services/gateway', { NATS_URL: iso.natsUrl, NATS_PREFIX: iso.natsPrefix });
    hub = await Hub.connect(iso);
    account = await hub.createAccount('Wemalo resend');
    shop = await hub.createConnection(account.accountId, {
      type: 'jimdo',
      settings: { name: 'Shop', forwardTo: 'm@example.org' },
      secrets: {},
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await connector?.stop();
    await orders?.stop();
    await hub?.close();
    await forwarder?.close();
    await wemalo?.close();
  });

  const health = async (connectionId: string): Promise<ConnectionHealth | undefined> =>
    (await hub.call<ConnectionHealth[]>(ConnectorHealth.wemalo, { accountId: account.accountId, connectionId }))[0];
  const resend = async (orderId: string): Promise<{ status: number; body: Order }> => {
    const res = await fetch(`${gateway.url}/api/v1/orders/${orderId}/write-back/resend`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.apiKey}` },
    });
    return { status: res.status, body: (await res.json()) as Order };
  };
  const goodsOrderHistory = async (orderId: string) =>
    (await hub.history(account.accountId, orderId)).filter((h) => h.actor === 'connector:wemalo' && h.action.startsWith('wemalo:'));
  const settled = async () => {
    await hub.consumerSettled(Subjects.orderTagsChanged, durableName(SERVICE, Subjects.orderTagsChanged), 90_000);
    await hub.consumerSettled(Subjects.orderStateChanged, durableName(SERVICE, Subjects.orderStateChanged), 90_000);
  };

  it('HUB-3 / WEM-4: waits while wemalo answers 401, goes out once when wemalo takes the token again; resends send nothing twice', async () => {
    const wem = await hub.createConnection(account.accountId, wemaloConnection(wemalo, { syncIntervalMinutes: 60 }));
    await waitFor(async () => (await health(wem.id))?.lastSuccessAt, { what: 'first sweep', timeoutMs: 30_000 });
    const article = await hub.upsertArticle(account.accountId, {
      sku: `L-${uid()}`,
      ean: `40${Math.floor(Math.random() * 1e11)}`,
      title: 'Artikel',
      price: 10,
      dimensions: { lengthCm: 10, widthCm: 20, heightCm: 5, weightGrams: 300 },
    });
    await waitFor(async () => wemalo.product(article.id) ?? wemalo.product(article.sku!), { what: 'the article at wemalo' });

    await wemalo.admin('POST', '/access', { locked: true });
    const order = await hub.importOrder(account.accountId, shop.id, 'jimdo', shopOrder(`L-${uid()}`, [{ sku: article.sku!, quantity: 1 }]));
    await hub.changeTags(account.accountId, order.id, ['wemalo']);

    const waiting = await hub.activity(account.accountId, order.id, (h) => h.outcome === 'waiting', 'a "waiting" goods order');
    expect(waiting.detail).toMatch(/wemalo refused the credentials/);
    expect(waiting.detail).toMatch(/401/);
    const failing = await waitFor(async () => ((await health(wem.id))?.consecutiveFailures ? health(wem.id) : undefined), {
      what: 'the connection shown as failing',
    });
    expect(failing?.lastError?.reason).toMatch(/401|UNAUTHORIZED/);

    // The merchant presses "resend write-back" while wemalo still refuses: accepted, and it waits as well.
    const early = await resend(order.id);
    expect(early.status).toBe(202);
    expect(early.body.history?.some((h) => h.action === 'write-back-resend')).toBe(true);
    await waitFor(async () => ((await goodsOrderHistory(order.id)).filter((h) => h.outcome === 'waiting').length >= 2 ? true : undefined), {
      what: 'the resent goods order waiting too',
    });
    expect(wemalo.submissions(order.id)).toHaveLength(0);
    expect((await goodsOrderHistory(order.id)).filter((h) => h.outcome === 'failed')).toEqual([]);

    // wemalo takes the token again; nobody touches the connection.
    await wemalo.admin('POST', '/access', { locked: false });
    await waitFor(async () => ((await hub.getOrder(account.accountId, order.id)).tags.includes(RECEIVED) ? true : undefined), {
      what: 'the goods order sent once wemalo takes the token again',
      timeoutMs: 90_000,
      intervalMs: 500,
    });
    await settled();
    expect(wemalo.submissions(order.id)).toHaveLength(1);
    const done = await goodsOrderHistory(order.id);
    expect(done.filter((h) => h.outcome === 'ok' && /sent to wemalo as goods order/.test(h.detail ?? ''))).toHaveLength(1);
    expect(done.filter((h) => h.outcome === 'failed')).toEqual([]);
    expect(await health(wem.id)).toMatchObject({ consecutiveFailures: 0 });

    // A resend of an order wemalo already has: accepted, nothing sent again.
    const late = await resend(order.id);
    expect(late.status).toBe(202);
    await settled();
    expect(wemalo.submissions(order.id)).toHaveLength(1);
    expect(wemalo.goodsOrder(order.id)).toBeDefined();
  });
});
