import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { AccountCreated, ConnectionView, Order, Page } from '@orderhub/contracts';
import { Rpc } from '@orderhub/contracts';
import { freePort, REPO_ROOT, type TestIsolation, waitForPort } from '@orderhub/testkit';
import {
  connectorEnv,
  Hub,
  isolate,
  ORDERS_WORKSPACE,
  ordersEnv,
  ServiceProcess,
  waitFor,
  WebhookForwarder,
  wemaloConnection,
  WemaloSim,
} from './harness';

/**
 * An OTTO order fulfilled by wemalo: shipped goes back to OTTO only with exactly one shipment and one
 * return label (OTTO-3/4). Needs services/channel-otto (built) and the OTTO simulator's build (it uses
 * faker, ESM-only: run as a process from dist, like production).
 */
describe('OTTO order fulfilled by wemalo', () => {
  let iso: TestIsolation;
  let wemalo: WemaloSim;
  let forwarder: WebhookForwarder;
  let ottoSim: ChildProcess;
  let ottoUrl: string;
  let orders: ServiceProcess;
  let otto: ServiceProcess;
  let connector: ServiceProcess;
  let hub: Hub;
  let account: AccountCreated;
  let ottoConn: ConnectionView;

  beforeAll(async () => {
    iso = isolate('wemotto');
    wemalo = await WemaloSim.start();
    forwarder = await WebhookForwarder.start();
    const port = await freePort();
    ottoSim = spawn(process.execPath, [join(REPO_ROOT, 'simulators/otto-market/dist/main.js')], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: 'ignore',
    });
    await waitForPort(port);
    ottoUrl = `http://127.0.0.1:${port}`;
    orders = await ServiceProcess.start(ORDERS_WORKSPACE, ordersEnv(iso));
    hub = await Hub.connect(iso);
    account = await hub.createAccount('OTTO + wemalo');
    ottoConn = await hub.createConnection(account.accountId, {
      type: 'otto',
      settings: { name: 'OTTO', apiBaseUrl: ottoUrl, pollIntervalSeconds: 5 },
      secrets: { username: 'demo-otto', password: 'demo-otto-secret' },
    });
    await hub.createConnection(account.accountId, wemaloConnection(wemalo));
    const base = connectorEnv(iso, forwarder.url);
    otto = await ServiceProcess.start('services/channel-otto', base);
    connector = await ServiceProcess.start('services/fulfillment-wemalo', base);
    forwarder.target = connector.url;
  });

  afterAll(async () => {
    await connector?.stop();
    await otto?.stop();
    await orders?.stop();
    await hub?.close();
    ottoSim?.kill();
    await forwarder?.close();
    await wemalo?.close();
  });

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${ottoUrl}/_admin${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return res.json() as Promise<any>;
  };

  /** An OTTO order imported into the hub, its articles known with EAN, tagged for wemalo and at wemalo. */
  const ottoOrderAtWemalo = async (): Promise<Order> => {
    const generated = await admin('POST', '/orders/generate', { count: 1, fulfillmentStatus: 'PROCESSABLE' });
    const salesOrderId: string = generated.orders[0].order.salesOrderId;
    const order = await waitFor(
      async () =>
        (
          await hub.ask<Page<Order>>(Rpc.ordersList, account.accountId, { connectionId: ottoConn.id, search: salesOrderId, limit: 5 })
        ).items.find((o) => o.externalId === salesOrderId) ??
        (await hub.ask<Page<Order>>(Rpc.ordersList, account.accountId, { connectionId: ottoConn.id, limit: 200 })).items.find(
          (o) => o.externalId === salesOrderId,
        ),
      { what: 'OTTO order in the hub', timeoutMs: 30_000 },
    );
    for (const p of order.positions) {
      if (p.sku)
        // the import created the article (JIM-3); the merchant adds its EAN to that article
        await hub.upsertArticle(account.accountId, {
          ...(p.articleId ? { articleId: p.articleId } : {}),
          sku: p.sku,
          ean: p.ean || `49${Math.floor(Math.random() * 1e11)}`,
          title: p.title,
        });
    }
    if (order.state !== 3) await hub.changeState(account.accountId, order.id, 3);
    await hub.changeTags(account.accountId, order.id, ['wemalo']);
    await waitFor(() => wemalo.goodsOrder(order.id), { what: 'goods order at wemalo', timeoutMs: 30_000 });
    return order;
  };

  it('OTTO-4: reaches OTTO as shipped when wemalo provided a return label', async () => {
    const order = await ottoOrderAtWemalo();
    await wemalo.admin('POST', `/goodsOrders/${order.id}/advance`, { to: 'SHIPPED', parcels: [{ carrier: 'DHL', returnLabel: true }] });
    await waitFor(async () => (await hub.getOrder(account.accountId, order.id)).state === 4, {
      what: 'shipped in the hub',
      timeoutMs: 30_000,
    });
    const shipments = await waitFor(
      async () => {
        const list = (await admin('GET', '/shipments')) as unknown[];
        const mine = JSON.stringify(list).includes(order.externalId) ? list : undefined;
        return mine;
      },
      { what: 'shipment at OTTO', timeoutMs: 30_000 },
    );
    expect(JSON.stringify(shipments)).toContain(order.externalId);
  });

  it('OTTO-4: is refused and recorded when wemalo shipped without a return label', async () => {
    const order = await ottoOrderAtWemalo();
    await wemalo.admin('POST', `/goodsOrders/${order.id}/advance`, { to: 'SHIPPED', parcels: [{ carrier: 'DHL' }] });
    const refusal = await waitFor(
      async () =>
        ((await hub.getOrder(account.accountId, order.id)).history ?? []).find((h) => h.ruleId === 'OTTO-4' && h.outcome === 'refused'),
      { what: 'OTTO-4 refusal on the order', timeoutMs: 30_000 },
    );
    expect(refusal).toBeDefined();
    expect(JSON.stringify(await admin('GET', '/shipments'))).not.toContain(order.externalId);
  });
});
