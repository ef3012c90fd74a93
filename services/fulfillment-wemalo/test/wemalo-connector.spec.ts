import { connect } from '@nats-io/transport-node';
import type { AccountCreated, Article, ConnectionView, Order } from '@orderhub/contracts';
import { ConnectorTriggers, Rpc } from '@orderhub/contracts';
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

/**
 * The wemalo connector as a process against the wemalo simulator over HTTP, with the real orders
 * service, real NATS and FerretDB: WEM-1 … WEM-6, cancellations, restarts and outages.
 */
describe('fulfillment-wemalo', () => {
  let iso: TestIsolation;
  let wemalo: WemaloSim;
  let forwarder: WebhookForwarder;
  let orders: ServiceProcess;
  let connector: ServiceProcess;
  let hub: Hub;
  let account: AccountCreated;
  let shop: ConnectionView;
  let wem: ConnectionView;

  const startConnector = async () => {
    const p = await ServiceProcess.start('services/fulfillment-wemalo', connectorEnv(iso, forwarder.url));
    forwarder.target = p.url;
    return p;
  };

  beforeAll(async () => {
    iso = isolate('wemalo');
    wemalo = await WemaloSim.start();
    forwarder = await WebhookForwarder.start();
    orders = await ServiceProcess.start(ORDERS_WORKSPACE, ordersEnv(iso));
    hub = await Hub.connect(iso);
    account = await hub.createAccount('Wemalo merchant');
    shop = await hub.createConnection(account.accountId, {
      type: 'jimdo',
      settings: { name: 'Shop', forwardTo: 'm@example.org' },
      secrets: {},
    });
    wem = await hub.createConnection(account.accountId, wemaloConnection(wemalo));
    connector = await startConnector();
  });

  afterAll(async () => {
    if (process.env.WEMALO_TEST_LOGS) {
      process.stdout.write(`--- connector ---\n${connector?.logs().slice(-8000)}\n--- orders ---\n${orders?.logs().slice(-6000)}\n`);
    }
    await connector?.stop();
    await orders?.stop();
    await hub?.close();
    await forwarder?.close();
    await wemalo?.close();
  });

  const article = (sku: string, extra: Record<string, unknown> = {}) =>
    hub.upsertArticle(account.accountId, {
      sku,
      ean: `40${Math.floor(Math.random() * 1e11)}`,
      title: `Artikel ${sku}`,
      price: 10,
      dimensions: { lengthCm: 10, widthCm: 20, heightCm: 5, weightGrams: 300 },
      ...extra,
    });
  const order = (id: string) => hub.getOrder(account.accountId, id);
  const history = async (id: string) => (await order(id)).history ?? [];
  const tagged = (id: string, tag = 'order_received_by_wemalo') =>
    waitFor(async () => ((await order(id)).tags.includes(tag) ? order(id) : undefined), { what: `tag ${tag} on ${id}`, timeoutMs: 30_000 });
  const sendToWemalo = async (positions: { sku: string; quantity: number }[]) => {
    const o = await hub.importOrder(account.accountId, shop.id, 'jimdo', shopOrder(`S-${uid()}`, positions));
    await hub.changeTags(account.accountId, o.id, ['wemalo']);
    await waitFor(() => wemalo.goodsOrder(o.id), { what: 'goods order at wemalo', timeoutMs: 30_000 });
    await tagged(o.id);
    return o;
  };

  it('WEM-1: uses the connection settings — ordersTag, OrderStateId and the API token', async () => {
    const other = await hub.createAccount('Second merchant');
    const otherShop = await hub.createConnection(other.accountId, {
      type: 'jimdo',
      settings: { name: 'S2', forwardTo: 'x@example.org' },
      secrets: {},
    });
    await hub.createConnection(other.accountId, wemaloConnection(wemalo, { ordersTag: 'lager', orderStateId: 2 }));
    const sku = `W1-${uid()}`;
    await hub.upsertArticle(other.accountId, { sku, ean: `41${Math.floor(Math.random() * 1e11)}`, title: 'Lagerartikel' });
    const confirmed = await hub.importOrder(
      other.accountId,
      otherShop.id,
      'jimdo',
      shopOrder(`W1a-${uid()}`, [{ sku, quantity: 1 }], { state: 2 }),
    );
    const paid = await hub.importOrder(
      other.accountId,
      otherShop.id,
      'jimdo',
      shopOrder(`W1b-${uid()}`, [{ sku, quantity: 1 }], { state: 3 }),
    );
    await hub.changeTags(other.accountId, confirmed.id, ['lager']);
    await hub.changeTags(other.accountId, paid.id, ['lager', 'wemalo']);
    await waitFor(async () => (await hub.getOrder(other.accountId, confirmed.id)).tags.includes('order_received_by_lager'), {
      what: 'received tag',
      timeoutMs: 30_000,
    });
    expect(wemalo.goodsOrder(confirmed.id)).toBeDefined();
    // state 3 is not this connection's OrderStateId (2): not sent, even with the tags
    await new Promise((r) => setTimeout(r, 1500));
    expect(wemalo.goodsOrder(paid.id)).toBeUndefined();

    // a connection with a wrong token reaches wemalo's 401 and sends nothing
    const bad = await hub.createAccount('Wrong token');
    await hub.createConnection(bad.accountId, { ...wemaloConnection(wemalo), secrets: { apiToken: 'not-the-token' } });
    const before = wemalo.sim.warehouse.receivedOrders.length;
    await new Promise((r) => setTimeout(r, 1000));
    expect(wemalo.sim.warehouse.receivedOrders.length).toBe(before);
  });

  it('WEM-2: answers the on-demand trigger for wemalo connections only and sweeps right away', async () => {
    const nc = await connect({ servers: iso.natsUrl });
    try {
      const subject = `${iso.natsPrefix}.${ConnectorTriggers.wemalo}`;
      const callsBefore = (await wemalo.admin('GET', '/calls')).body;
      const reply = await nc.request(subject, JSON.stringify({ accountId: account.accountId, connectionId: wem.id, type: 'wemalo' }), {
        timeout: 5000,
      });
      expect(reply.json()).toEqual({ ok: true, data: { accepted: true, connectionId: wem.id } });
      // the sweep polls sent packages: visible at wemalo within a tick or two
      await waitFor(
        async () => {
          const calls = (await wemalo.admin('GET', '/calls')).body as Record<string, number>;
          const key = Object.keys(calls).find((k) => k.startsWith('GET /v1/goodsOrder/packages/sent')) ?? '';
          return (calls[key] ?? 0) > ((callsBefore as Record<string, number>)[key] ?? 0);
        },
        { what: 'a sweep after the trigger', timeoutMs: 15_000 },
      );
      // a request for another connector type gets no answer from this one
      await expect(
        nc.request(subject, JSON.stringify({ accountId: account.accountId, connectionId: wem.id, type: 'otto' }), { timeout: 700 }),
      ).rejects.toThrow();
    } finally {
      await nc.close();
    }
  });

  it('WEM-3: transfers articles with SKU and EAN, reports the rest, keeps dimensions of the first transfer, resolves bundles, reports SKU conflicts', async () => {
    const a = await article(`A-${uid()}`);
    const part = await article(`P-${uid()}`);
    const noEan = await hub.upsertArticle(account.accountId, { sku: `NE-${uid()}`, title: 'Ohne EAN' });
    const noSku = await hub.upsertArticle(account.accountId, { ean: '4012345678901', title: 'Ohne SKU' });
    const bundle = await hub.upsertArticle(account.accountId, {
      sku: `B-${uid()}`,
      ean: `42${Math.floor(Math.random() * 1e11)}`,
      title: 'Set',
      bundleComponents: [{ articleId: part.id, quantity: 2 }],
    });
    await waitFor(() => wemalo.product(a.id) && wemalo.product(part.id), { what: 'articles at wemalo' });
    expect(wemalo.product(a.id)).toMatchObject({
      sku: a.sku,
      ean: a.ean,
      name: a.title,
      depth: 10,
      width: 20,
      height: 5,
      grossWeight: 300,
    });

    const report = async () =>
      (
        await hub.rpc.call<
          { connectionId: string; missingIdentifiers: { articleId: string; detail: string }[]; conflicts: { articleId: string }[] }[]
        >('rpc.wemalo.product-report', { accountId: account.accountId, actor: 'test', body: { connectionId: wem.id } })
      )[0]!;
    await waitFor(async () => (await report()).missingIdentifiers.length >= 2, { what: 'product report' });
    const missing = (await report()).missingIdentifiers;
    expect(missing.map((m) => m.articleId)).toEqual(expect.arrayContaining([noEan.id, noSku.id]));
    expect(missing.find((m) => m.articleId === noEan.id)?.detail).toMatch(/EAN missing/);
    expect(wemalo.product(noEan.id)).toBeUndefined();
    expect(wemalo.product(noSku.id)).toBeUndefined();
    expect(wemalo.product(bundle.id)).toBeUndefined();

    // a change goes through, but not the dimensions
    await hub.upsertArticle(account.accountId, {
      articleId: a.id,
      sku: a.sku,
      ean: a.ean,
      title: 'Neuer Titel',
      dimensions: { lengthCm: 99 },
    });
    await waitFor(() => wemalo.product(a.id)?.name === 'Neuer Titel', { what: 'title change at wemalo' });
    expect(wemalo.product(a.id)).toMatchObject({ depth: 10, width: 20 });

    // a change to an SKU another wemalo product has (one the merchant created at wemalo directly) is
    // refused and reported; the other changes are taken over
    const foreignSku = `WM-${uid()}`;
    expect((await wemalo.call('POST', '/product/add', { externalId: `foreign-${uid()}`, sku: foreignSku, productGroup: 'x' })).status).toBe(
      200,
    );
    await hub.upsertArticle(account.accountId, { articleId: part.id, sku: foreignSku, ean: part.ean, title: 'Teil umbenannt' });
    await waitFor(async () => (await report()).conflicts.some((c) => c.articleId === part.id), { what: 'conflict in report' });
    expect(wemalo.product(part.id)).toMatchObject({ sku: part.sku, name: 'Teil umbenannt' });
    // adding the missing EAN clears the report entry
    await hub.upsertArticle(account.accountId, {
      articleId: noEan.id,
      sku: noEan.sku,
      ean: `43${Math.floor(Math.random() * 1e11)}`,
      title: 'Jetzt mit EAN',
    });
    await waitFor(() => wemalo.product(noEan.id), { what: 'article with added EAN' });
    await waitFor(async () => !(await report()).missingIdentifiers.some((m) => m.articleId === noEan.id), { what: 'report cleared' });
  });

  it('WEM-4: an order with the ordersTag in the configured state goes to wemalo (bundles resolved, address, profile) and gets order_received_by_<tag>', async () => {
    const a = await article(`A4-${uid()}`);
    const part = await article(`P4-${uid()}`);
    const set = await article(`S4-${uid()}`, { bundleComponents: [{ articleId: part.id, quantity: 3 }] });
    const imported = await hub.importOrder(
      account.accountId,
      shop.id,
      'jimdo',
      shopOrder(
        `W4-${uid()}`,
        [
          { sku: a.sku!, quantity: 2 },
          { sku: set.sku!, quantity: 2 },
        ],
        { state: 1 },
      ),
    );
    await hub.changeTags(account.accountId, imported.id, ['wemalo']);
    await new Promise((r) => setTimeout(r, 1000));
    expect(wemalo.goodsOrder(imported.id)).toBeUndefined(); // state 1 ≠ OrderStateId 3

    await hub.changeState(account.accountId, imported.id, 3);
    const sent = await waitFor(() => wemalo.goodsOrder(imported.id), { what: 'goods order', timeoutMs: 30_000 });
    expect(sent.status).toBe('OPEN');
    expect(sent.positions.map((p) => [p.externalId, p.quantity])).toEqual([
      [a.id, 2],
      [part.id, 6],
    ]);
    expect(sent.meta).toMatchObject({
      externalId: imported.id,
      orderNumber: imported.orderNumber,
      dispatcherProfile: 'dhl_paket',
      receiver: [
        expect.objectContaining({
          name1: 'Erika Mustermann',
          street: 'Heidestraße',
          streetNumber: '17',
          zip: '51147',
          countryCode2Letter: 'DE',
        }),
      ],
    });
    const after = await tagged(imported.id);
    expect(after.tags).toEqual(expect.arrayContaining(['wemalo', 'order_received_by_wemalo']));
    expect(after.history).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'wemalo: goods order', outcome: 'ok' })]));
    expect(wemalo.product(set.id)).toBeUndefined();
    expect(wemalo.submissions(imported.id)).toHaveLength(1);
  });

  it('WEM-5: re-tagging sends changes while wemalo has not started, and is refused with the reason once it has', async () => {
    const a = await article(`A5-${uid()}`);
    const b = await article(`B5-${uid()}`);
    const o = await sendToWemalo([{ sku: a.sku!, quantity: 1 }]);

    await hub.ask(Rpc.ordersEditPositions, account.accountId, {
      orderId: o.id,
      positions: [{ externalId: 'x1', sku: b.sku, title: 'B', quantity: 4, unitPrice: 5, totalPrice: 20 }],
    });
    await hub.changeTags(account.accountId, o.id, ['wemalo'], ['order_received_by_wemalo']);
    await waitFor(() => wemalo.submissions(o.id).length === 2, { what: 'changes re-sent', timeoutMs: 30_000 });
    expect(wemalo.submissions(o.id)[1]).toMatchObject({ replaced: true });
    expect(wemalo.goodsOrder(o.id)?.positions.map((p) => [p.externalId, p.quantity])).toEqual([[b.id, 4]]);
    await tagged(o.id);

    await wemalo.admin('POST', `/goodsOrders/${o.id}/advance`, { to: 'INPROCESS' });
    await hub.ask(Rpc.ordersEditPositions, account.accountId, {
      orderId: o.id,
      positions: [{ externalId: 'x1', sku: b.sku, title: 'B', quantity: 1, unitPrice: 5, totalPrice: 5 }],
    });
    await hub.changeTags(account.accountId, o.id, ['wemalo'], ['order_received_by_wemalo']);
    const refused = await waitFor(async () => (await history(o.id)).find((h) => h.outcome === 'refused' && h.ruleId === 'WEM-5'), {
      what: 'WEM-5 refusal on the order',
      timeoutMs: 30_000,
    });
    expect(refused.detail).toMatch(/INPROCESS/);
    expect(wemalo.submissions(o.id)).toHaveLength(2);
    expect(wemalo.goodsOrder(o.id)?.positions[0]?.quantity).toBe(4);
  });

  it('WEM-6: handed-over parcels become shipments (return label as return), the order is shipped; carrier name only with an identical profile', async () => {
    const a = await article(`A6-${uid()}`);
    const o = await sendToWemalo([{ sku: a.sku!, quantity: 1 }]);
    await wemalo.admin('POST', `/goodsOrders/${o.id}/advance`, {
      to: 'SHIPPED',
      parcels: [{ trackingNumber: '00340434000000000061', returnLabel: true, returnTrackingNumber: '00340434000000000062' }],
    });
    const shipped = await waitFor(async () => ((await order(o.id)).state === 4 ? order(o.id) : undefined), {
      what: 'shipped',
      timeoutMs: 30_000,
    });
    expect(shipped.shipments).toEqual([
      expect.objectContaining({
        type: 'shipment',
        carrier: 'DHL',
        trackingNumber: '00340434000000000061',
        shippingProfile: 'DHL Paket National',
      }),
      expect.objectContaining({ type: 'return', carrier: 'DHL', trackingNumber: '00340434000000000062' }),
    ]);
    const webhookAttempts = (await wemalo.admin('GET', '/webhooks')).body.attempts as { ok: boolean }[];
    expect(webhookAttempts.some((w) => w.ok)).toBe(true);
    await waitFor(() => wemalo.sim.warehouse.ledger.unsynced(o.id).length === 0, { what: 'bookings marked synced' });

    // polling is the safety net: no webhook, an unknown profile name → carrier code kept and recorded
    const p = await sendToWemalo([{ sku: a.sku!, quantity: 1 }]);
    await wemalo.call('DELETE', '/webhook/trackingnumber_added');
    await wemalo.call('DELETE', '/webhook/status_update');
    await wemalo.admin('POST', `/goodsOrders/${p.id}/advance`, {
      to: 'SHIPPED',
      parcels: [{ carrier: 'GLS', profileName: 'GLS Business', trackingNumber: 'GL123456789' }],
    });
    const nc = await connect({ servers: iso.natsUrl });
    await nc.request(
      `${iso.natsPrefix}.${ConnectorTriggers.wemalo}`,
      JSON.stringify({ accountId: account.accountId, connectionId: wem.id, type: 'wemalo' }),
    );
    await nc.close();
    const polled = await waitFor(async () => ((await order(p.id)).state === 4 ? order(p.id) : undefined), {
      what: 'shipped by polling',
      timeoutMs: 30_000,
    });
    expect(polled.shipments).toEqual([expect.objectContaining({ type: 'shipment', carrier: 'GLS', trackingNumber: 'GL123456789' })]);
    expect(polled.shipments[0]?.shippingProfile).toBeUndefined();
    // The WEM-6 note is its own activity report: it may land a moment after the shipment.
    const noted = await waitFor(
      async () => {
        const history = (await order(p.id)).history as { ruleId?: string; detail?: string }[];
        return history.some((h) => h.ruleId === 'WEM-6' && /GLS Business/.test(h.detail ?? '')) ? history : undefined;
      },
      { what: 'WEM-6 note in the history', timeoutMs: 15_000 },
    );
    expect(noted).toEqual(
      expect.arrayContaining([expect.objectContaining({ ruleId: 'WEM-6', detail: expect.stringMatching(/GLS Business/) })]),
    );
    // the sweep registered the webhooks again
    const hooks = (await wemalo.call('GET', '/webhook')).body.hooks as { event: string }[];
    expect(hooks.map((h) => h.event).sort()).toEqual(['status_update', 'trackingnumber_added']);
  });

  it('cancels the goods order while wemalo allows it, else records the refusal on the order', async () => {
    const a = await article(`AC-${uid()}`);
    const open = await sendToWemalo([{ sku: a.sku!, quantity: 1 }]);
    const busy = await sendToWemalo([{ sku: a.sku!, quantity: 1 }]);
    await wemalo.admin('POST', `/goodsOrders/${busy.id}/advance`, { to: 'PACKED' });

    await hub.ask(Rpc.ordersCancel, account.accountId, { orderId: open.id, reason: 'Kunde storniert' });
    await hub.ask(Rpc.ordersCancel, account.accountId, { orderId: busy.id, reason: 'Kunde storniert' });
    await waitFor(() => wemalo.goodsOrder(open.id)?.status === 'CANCELLED', { what: 'cancelled at wemalo', timeoutMs: 30_000 });
    const refusal = await waitFor(
      async () => (await history(busy.id)).find((h) => h.action === 'wemalo: cancel goods order' && h.outcome === 'refused'),
      { what: 'refused cancellation', timeoutMs: 30_000 },
    );
    expect(refusal.detail).toMatch(/PACKED/);
    expect(wemalo.goodsOrder(busy.id)?.status).toBe('PACKED');
  });

  it('a wemalo outage delays, loses nothing', async () => {
    const a = await article(`AO-${uid()}`);
    await waitFor(() => wemalo.product(a.id), { what: 'article at wemalo' });
    await wemalo.admin('POST', '/faults', { errorRate: 1, errorStatus: 503 });
    try {
      const o = await hub.importOrder(account.accountId, shop.id, 'jimdo', shopOrder(`WO-${uid()}`, [{ sku: a.sku!, quantity: 1 }]));
      await hub.changeTags(account.accountId, o.id, ['wemalo']);
      await new Promise((r) => setTimeout(r, 4000));
      expect(wemalo.goodsOrder(o.id)).toBeUndefined();
      await wemalo.admin('DELETE', '/faults');
      await tagged(o.id);
      expect(wemalo.submissions(o.id)).toHaveLength(1);
    } finally {
      await wemalo.admin('DELETE', '/faults');
    }
  });

  it('a restart in the middle of a sweep sends no order twice', async () => {
    const a = await article(`AR-${uid()}`);
    await waitFor(() => wemalo.product(a.id), { what: 'article at wemalo' });
    await connector.stop();
    const batch: Order[] = [];
    for (let i = 0; i < 12; i++) {
      const o = await hub.importOrder(account.accountId, shop.id, 'jimdo', shopOrder(`WR${i}-${uid()}`, [{ sku: a.sku!, quantity: 1 }]));
      batch.push(await hub.changeTags(account.accountId, o.id, ['wemalo']));
    }
    // slow wemalo down so the sweep (and the queued events) are cut off half-way
    await wemalo.admin('POST', '/faults', { latencyMs: 150 });
    connector = await startConnector();
    await waitFor(() => batch.filter((o) => wemalo.goodsOrder(o.id)).length >= 3, { what: 'sweep under way', timeoutMs: 30_000 });
    await connector.stop('SIGKILL');
    expect(batch.filter((o) => wemalo.goodsOrder(o.id)).length).toBeLessThan(batch.length);
    await wemalo.admin('DELETE', '/faults');
    connector = await startConnector();
    for (const o of batch) await tagged(o.id);
    for (const o of batch) expect(wemalo.submissions(o.id)).toHaveLength(1);
  });
});

export type { Article };
