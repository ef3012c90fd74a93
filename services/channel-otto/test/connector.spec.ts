import { ConnectorTriggers, type Order, OrderState, Rpc, Subjects } from '@orderhub/contracts';
import { EventProbe, isolate, ServiceProcess, waitFor } from '@orderhub/testkit';
import { Hub, OttoSim, startConnector, startOrders } from './support';

/**
 * The connector as a process between the real orders service (process, NATS, FerretDB) and the
 * OTTO Market simulator over HTTP. One account per concern; the seller's orders come from the simulator.
 */
describe('channel-otto against the OTTO Market simulator and the orders service', () => {
  const iso = isolate('ottoconn');
  let sim: OttoSim;
  let orders: ServiceProcess;
  let connector: ServiceProcess;
  let hub: Hub;
  let probe: EventProbe;
  let seller: { partnerId: string; username: string; password: string };
  let accountId: string;
  let connectionId: string;
  const actor = 'test';

  const activities = (orderId: string, action: string) =>
    probe
      .bySubject('order.channel-activity')
      .map((e) => (e as { data: { orderId: string; action: string; outcome: string; ruleId?: string; detail?: string } }).data)
      .filter((d) => d.orderId === orderId && d.action === action);
  const waitActivity = (orderId: string, action: string) =>
    waitFor(() => activities(orderId, action)[0], { timeoutMs: 20_000, what: `${action} report for ${orderId}` });

  /** A fresh PROCESSABLE OTTO order, imported into the hub (state paid). */
  async function importedOrder(status: 'PROCESSABLE' | 'ANNOUNCED' = 'PROCESSABLE'): Promise<{ otto: any; order: Order }> {
    const [otto] = await sim.generate(seller.partnerId, 1, status);
    await hub.call(ConnectorTriggers.otto, { type: 'otto', connectionId });
    const order = await hub.waitOrder(accountId, connectionId, otto.salesOrderId);
    return { otto, order };
  }

  const ship = async (
    orderId: string,
    shipments: { type: 'shipment' | 'return'; carrier: string; trackingNumber: string }[],
    account = accountId,
  ) => {
    for (const s of shipments) await hub.call(Rpc.ordersAddShipment, { accountId: account, actor, body: { orderId, ...s } });
    await hub.call(Rpc.ordersChangeState, { accountId: account, actor, body: { orderId, state: OrderState.Shipped } });
  };

  /**
   * An order of a seller whose connection polls only when asked, imported and with no poll running:
   * what the test then changes at OTTO stays unknown to the hub.
   */
  async function quietOrder(
    sellerName: string,
    accountName: string,
    pieces = 1,
  ): Promise<{ otto: any; order: Order; account: string; seller: typeof seller }> {
    const quietSeller = sim.seller(sellerName);
    const account = await hub.account(accountName);
    const conn = await hub.ottoConnection(account, sim.url, quietSeller, { pollIntervalSeconds: 3600 });
    // The first poll (on creation) ends before the order exists, and the trigger's poll before the
    // test changes it: a sync request that lands during a poll asks for one more.
    const first = await waitFor(
      async () => {
        const cp = await hub.checkpoint('otto', conn);
        return cp && !cp.run ? cp : undefined;
      },
      { what: 'first poll' },
    );
    let otto: any;
    do [otto] = await sim.generate(quietSeller.partnerId, 1, 'PROCESSABLE');
    while (otto.positionItems.filter((i: { fulfillmentStatus: string }) => i.fulfillmentStatus === 'PROCESSABLE').length < pieces);
    await hub.call(ConnectorTriggers.otto, { type: 'otto', connectionId: conn });
    const order = await hub.waitOrder(account, conn, otto.salesOrderId);
    await waitFor(
      async () => {
        const cp = await hub.checkpoint('otto', conn);
        return cp.fromDate !== first.fromDate && !cp.run;
      },
      { what: "the trigger's poll finished" },
    );
    return { otto, order, account, seller: quietSeller };
  }

  /** Requests the connector made to one OTTO endpoint (its client's request histogram). */
  async function requestsTo(endpoint: string, status?: number): Promise<number> {
    const page = await (await fetch(`${connector.metricsUrl}/metrics`)).text();
    let n = 0;
    for (const line of page.split('\n')) {
      if (!line.startsWith('orderhub_http_client_request_duration_seconds_count{') || !line.includes(`endpoint="${endpoint}"`)) continue;
      if (status !== undefined && !line.includes(`status="${status}"`)) continue;
      n += Number(line.split(' ').pop());
    }
    return n;
  }

  /** One DHL parcel with its DHL return label (`R-<tracking>`), then "shipped". */
  const shipWithDhl = (orderId: string, tracking: string, account: string) =>
    ship(
      orderId,
      [
        { type: 'shipment', carrier: 'DHL', trackingNumber: tracking },
        { type: 'return', carrier: 'DHL', trackingNumber: `R-${tracking}` },
      ],
      account,
    );

  beforeAll(async () => {
    sim = await OttoSim.start();
    seller = sim.seller('otto-main', 10);
    [orders, probe] = await Promise.all([startOrders(iso), EventProbe.start(iso.natsUrl, `${iso.natsPrefix}.order.>`)]);
    connector = await startConnector(iso);
    hub = await Hub.connect(iso);
    accountId = await hub.account('OTTO merchant');
    connectionId = await hub.ottoConnection(accountId, sim.url, seller);
  });

  afterAll(async () => {
    await connector?.stop();
    await orders?.stop();
    await probe?.close();
    await hub?.close();
    await sim?.close();
  });

  it('OTTO-12: reads orders and products from OTTO (orders with all fields mapped, products as articles)', async () => {
    const generated = await sim.generate(seller.partnerId, 5, 'PROCESSABLE');
    for (const g of generated) {
      const o = await hub.waitOrder(accountId, connectionId, g.salesOrderId);
      expect(o.channel).toBe('otto');
      expect(o.state).toBe(OrderState.Paid);
      expect(o.orderNumber).toBe(g.orderNumber);
      // The simulator writes OTTO's German offsets; the hub keeps the same instant in UTC.
      expect(g.orderDate).toMatch(/\.\d{3}\+0[12]:00$/);
      expect(o.orderedAt).toBe(new Date(g.orderDate).toISOString());
      // OTTO-7, OTTO-5 end to end
      expect(o.paymentMethod).toBe('OTTO Payments');
      const fees = (g.initialDeliveryFees as { deliveryFeeAmount: { amount: number } }[]).reduce(
        (s, f) => s + f.deliveryFeeAmount.amount,
        0,
      );
      expect(o.shippingCost).toBeCloseTo(fees, 2);
      const live = (g.positionItems as { positionItemId: string; fulfillmentStatus: string }[]).filter(
        (i) => !i.fulfillmentStatus.startsWith('CANCELLED'),
      );
      expect(
        o.positions
          .filter((p) => !p.isDiscount)
          .map((p) => p.externalId)
          .sort(),
      ).toEqual(live.map((i) => i.positionItemId).sort());
    }
    const skus = [...sim.sim.store.productsOf(seller.partnerId).keys()].sort();
    const articles = await waitFor(
      async () => {
        const page = await hub.call<{ items: { sku?: string }[] }>(Rpc.articlesList, { accountId, actor, body: { limit: 500 } });
        const found = page.items.map((a) => a.sku).filter((s): s is string => !!s);
        return skus.every((s) => found.includes(s)) ? found : undefined;
      },
      { what: 'OTTO products as hub articles' },
    );
    expect(articles).toEqual(expect.arrayContaining(skus));
  });

  it('OTTO access tokens are sealed in NATS KV like every other credential (issue 16)', async () => {
    const keys = await waitFor(
      async () => {
        const found = await hub.connectorKeys('otto', 'token.>');
        return found.length ? found : undefined;
      },
      { what: 'a cached OTTO token' },
    );
    for (const key of keys) {
      const raw = JSON.parse((await hub.connectorEntry('otto', key)) ?? '{}') as Record<string, unknown>;
      expect(Object.keys(raw)).toEqual(['sealed']);
      expect(String(raw.sealed)).not.toMatch(/token|expiresAt/);
    }
  });

  it('OTTO-1: positions of OTTO orders are locked (setting on by default): edits are refused', async () => {
    const { order } = await importedOrder();
    expect(order.positionsLocked).toBe(true);
    const problem = await hub.refusal(Rpc.ordersEditPositions, {
      accountId,
      actor,
      body: { orderId: order.id, positions: [{ title: 'Something else', quantity: 1, unitPrice: 1, totalPrice: 1 }] },
    });
    expect(problem).toMatchObject({ status: 422, ruleId: 'OTTO-1' });
  });

  it('OTTO-2: the hub never creates an invoice for an OTTO order', async () => {
    const { order } = await importedOrder();
    const problem = await hub.refusal(Rpc.ordersCreateInvoice, { accountId, actor, body: { orderId: order.id } });
    expect(problem).toMatchObject({ status: 422, ruleId: 'OTTO-2' });
  });

  it('OTTO-3 / OTTO-4: "shipped" with one DHL shipment and one DHL return label becomes an OTTO shipment of every piece', async () => {
    const { otto, order } = await importedOrder();
    const readsBefore = await requestsTo('GET /v4/orders/{id}');
    await ship(order.id, [
      { type: 'shipment', carrier: 'DHL', trackingNumber: `0034${order.id.slice(0, 8)}` },
      { type: 'return', carrier: 'DHL', trackingNumber: `R0034${order.id.slice(0, 8)}` },
    ]);
    const report = await waitActivity(order.id, 'otto.ship');
    expect(report.outcome).toBe('ok');
    // The hub's copy was current: one request of OTTO's 20 per second, the shipment, and no read.
    expect(await requestsTo('GET /v4/orders/{id}')).toBe(readsBefore);
    const shipments = (await sim.admin<any[]>('GET', '/shipments')).filter((s) =>
      s.positionItems.some((p: any) => p.salesOrderId === otto.salesOrderId),
    );
    expect(shipments).toHaveLength(1);
    expect(shipments[0].trackingKey).toEqual({ carrier: 'DHL', trackingNumber: `0034${order.id.slice(0, 8)}` });
    // No ship-from on the connection: the deployment's default warehouse (OTTO_SHIP_FROM_*).
    expect(shipments[0].shipFromAddress).toEqual({ city: 'Hamburg', countryCode: 'DEU', zipCode: '22179' });
    const live = (otto.positionItems as { positionItemId: string; fulfillmentStatus: string }[]).filter(
      (i) => i.fulfillmentStatus === 'PROCESSABLE',
    );
    expect(shipments[0].positionItems.map((p: any) => p.positionItemId).sort()).toEqual(live.map((i) => i.positionItemId).sort());
    expect(shipments[0].positionItems.every((p: any) => p.returnTrackingKey.carrier === 'DHL')).toBe(true);
    // OTTO now reports the pieces SENT; the re-import shows it on the positions
    const reimported = await hub.waitOrder(accountId, connectionId, otto.salesOrderId, (o) =>
      o.positions.some((p) => p.channelStatus === 'SENT'),
    );
    expect(reimported.state).toBe(OrderState.Shipped);
  });

  it("a connection's own ship-from address goes to OTTO with its shipments; a malformed one is refused at setup", async () => {
    const other = sim.seller('otto-leipzig', 2);
    const shipFrom = { city: 'Leipzig', zipCode: '04103', countryCode: 'DEU' };
    const leipzig = await hub.ottoConnection(accountId, sim.url, other, { shipFrom });
    const [otto] = await sim.generate(other.partnerId, 1, 'PROCESSABLE');
    await hub.call(ConnectorTriggers.otto, { type: 'otto', connectionId: leipzig });
    const order = await hub.waitOrder(accountId, leipzig, otto.salesOrderId);
    await ship(order.id, [
      { type: 'shipment', carrier: 'DHL', trackingNumber: `L0034${order.id.slice(0, 8)}` },
      { type: 'return', carrier: 'DHL', trackingNumber: `LR0034${order.id.slice(0, 8)}` },
    ]);
    expect((await waitActivity(order.id, 'otto.ship')).outcome).toBe('ok');
    const [shipment] = (await sim.admin<any[]>('GET', '/shipments')).filter((s) =>
      s.positionItems.some((p: any) => p.salesOrderId === otto.salesOrderId),
    );
    expect(shipment.shipFromAddress).toEqual(shipFrom);

    const refused = await hub.refusal(Rpc.connectionsCreate, {
      accountId,
      actor,
      body: {
        type: 'otto',
        settings: { name: 'OTTO bad address', apiBaseUrl: sim.url, shipFrom: { ...shipFrom, countryCode: 'DE' } },
        secrets: { username: 'u', password: 'p' },
      },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused)).toContain('shipFrom');
  });

  it('OTTO-3: a carrier other than DHL is refused and reported, nothing reaches OTTO', async () => {
    const { otto, order } = await importedOrder();
    await ship(order.id, [
      { type: 'shipment', carrier: 'GLS', trackingNumber: `GLS-${order.id.slice(0, 8)}` },
      { type: 'return', carrier: 'GLS', trackingNumber: `GLS-R-${order.id.slice(0, 8)}` },
    ]);
    const report = await waitActivity(order.id, 'otto.ship');
    expect(report).toMatchObject({ outcome: 'refused', ruleId: 'OTTO-3' });
    const history = await hub.history(accountId, order.id);
    expect(history.some((h) => h.ruleId === 'OTTO-3' && h.outcome === 'refused')).toBe(true);
    expect(
      (await sim.admin<any[]>('GET', '/shipments')).some((s) => s.positionItems.some((p: any) => p.salesOrderId === otto.salesOrderId)),
    ).toBe(false);
  });

  it('OTTO-4: "shipped" without a return label or with a second shipment is refused (no partial deliveries)', async () => {
    const a = await importedOrder();
    await ship(a.order.id, [{ type: 'shipment', carrier: 'DHL', trackingNumber: `A-${a.order.id.slice(0, 8)}` }]);
    expect(await waitActivity(a.order.id, 'otto.ship')).toMatchObject({ outcome: 'refused', ruleId: 'OTTO-4' });

    const b = await importedOrder();
    await ship(b.order.id, [
      { type: 'shipment', carrier: 'DHL', trackingNumber: `B1-${b.order.id.slice(0, 8)}` },
      { type: 'shipment', carrier: 'DHL', trackingNumber: `B2-${b.order.id.slice(0, 8)}` },
      { type: 'return', carrier: 'DHL', trackingNumber: `BR-${b.order.id.slice(0, 8)}` },
    ]);
    expect(await waitActivity(b.order.id, 'otto.ship')).toMatchObject({ outcome: 'refused', ruleId: 'OTTO-4' });
    const ids = new Set([a.otto.salesOrderId, b.otto.salesOrderId]);
    expect((await sim.admin<any[]>('GET', '/shipments')).some((s) => s.positionItems.some((p: any) => ids.has(p.salesOrderId)))).toBe(
      false,
    );
  });

  it('OTTO-8: a partial cancellation is refused; a whole one goes to OTTO as an order cancellation', async () => {
    const { otto, order } = await importedOrder();
    const problem = await hub.refusal(Rpc.ordersCancel, {
      accountId,
      actor,
      body: { orderId: order.id, positionExternalIds: [order.positions[0]?.externalId] },
    });
    expect(problem).toMatchObject({ status: 422, ruleId: 'OTTO-8' });

    await hub.call(Rpc.ordersCancel, { accountId, actor, body: { orderId: order.id, reason: 'customer asked' } });
    expect(await waitActivity(order.id, 'otto.cancel')).toMatchObject({ outcome: 'ok' });
    const cancellations = (await sim.admin<any[]>('GET', '/cancellations')).filter((c) => c.salesOrderIds.includes(otto.salesOrderId));
    expect(cancellations).toHaveLength(1);
    expect(cancellations[0].kind).toBe('order');
  });

  it('OTTO-9: an ANNOUNCED order comes in as ordered without address and is updated when OTTO makes it PROCESSABLE', async () => {
    const { otto, order } = await importedOrder('ANNOUNCED');
    expect(order.state).toBe(OrderState.Ordered);
    expect(order.shippingAddress).toBeUndefined();
    await sim.admin('POST', `/orders/${otto.salesOrderId}/transition`, { to: 'PROCESSABLE' });
    await hub.call(ConnectorTriggers.otto, { type: 'otto', connectionId });
    const updated = await hub.waitOrder(
      accountId,
      connectionId,
      otto.salesOrderId,
      (o) => o.state === OrderState.Paid && !!o.shippingAddress,
    );
    expect(updated.shippingAddress?.countryIso2).toBe('DE');
    expect(updated.positions.every((p) => p.channelStatus === 'PROCESSABLE')).toBe(true);
  });

  it('OTTO-10: a cancellation goes back to OTTO only from confirmed or paid', async () => {
    // ordered (ANNOUNCED at OTTO): refused
    const announced = await importedOrder('ANNOUNCED');
    await hub.call(Rpc.ordersCancel, { accountId, actor, body: { orderId: announced.order.id } });
    expect(await waitActivity(announced.order.id, 'otto.cancel')).toMatchObject({ outcome: 'refused', ruleId: 'OTTO-10' });
    // paid → packed → cancelled: previous state packed, refused
    const packed = await importedOrder();
    await hub.call(Rpc.ordersChangeState, { accountId, actor, body: { orderId: packed.order.id, state: OrderState.Packed } });
    await hub.call(Rpc.ordersCancel, { accountId, actor, body: { orderId: packed.order.id } });
    expect(await waitActivity(packed.order.id, 'otto.cancel')).toMatchObject({ outcome: 'refused', ruleId: 'OTTO-10' });
    // paid → confirmed → cancelled: sent
    const confirmed = await importedOrder();
    await hub.call(Rpc.ordersChangeState, { accountId, actor, body: { orderId: confirmed.order.id, state: OrderState.Confirmed } });
    await hub.call(Rpc.ordersCancel, { accountId, actor, body: { orderId: confirmed.order.id } });
    expect(await waitActivity(confirmed.order.id, 'otto.cancel')).toMatchObject({ outcome: 'ok' });
    const sent = new Set((await sim.admin<any[]>('GET', '/cancellations')).flatMap((c) => c.salesOrderIds));
    expect(sent.has(confirmed.otto.salesOrderId)).toBe(true);
    expect(sent.has(announced.otto.salesOrderId) || sent.has(packed.otto.salesOrderId)).toBe(false);
  });

  it('OTTO-12: hub stock goes to OTTO as absolute quantities in batches of at most 200; unknown SKUs are a partial result', async () => {
    const catalog = [...sim.sim.store.productsOf(seller.partnerId).keys()];
    const before = (await sim.admin<any[]>('GET', '/stock-updates')).length;
    // End to end through the orders service for one article …
    const first = await waitFor(
      async () =>
        (await hub.call<{ items: { id: string }[] }>(Rpc.articlesList, { accountId, actor, body: { sku: catalog[0], limit: 1 } })).items[0],
      { what: 'imported OTTO product as article' },
    );
    await hub.call(Rpc.articlesSetStock, {
      accountId,
      actor,
      body: { articleId: first!.id, stock: [{ storageLocationId: 0, quantity: 42 }] },
    });
    await waitFor(async () => sim.sim.store.stockOf(seller.partnerId).get(catalog[0]!)?.quantity === 42 || undefined, {
      what: 'stock of one article at OTTO',
    });
    // … then a burst of 250 stock facts as the orders service publishes them (the connector's consumer under load).
    const burst = [
      ...catalog.map((sku, i) => ({ sku, quantity: 100 + i })),
      ...Array.from({ length: 240 }, (_, i) => ({ sku: `HUB-ONLY-${i}`, quantity: i })),
    ];
    const mark = (await sim.admin<any[]>('GET', '/stock-updates')).length;
    await Promise.all(
      burst.map((b, i) =>
        hub.publishCommand(
          Subjects.articleStockChanged,
          accountId,
          { articleId: `a-${i}`, sku: b.sku, stock: [{ storageLocationId: 0, quantity: b.quantity }], totalQuantity: b.quantity },
          `stock-burst-${i}`,
        ),
      ),
    );
    const updates = await waitFor(
      async () => {
        const all = (await sim.admin<any[]>('GET', '/stock-updates')).slice(mark);
        const skus = new Set(all.flatMap((u) => u.items.map((i: { sku: string }) => i.sku)));
        return skus.size >= burst.length ? all : undefined;
      },
      { timeoutMs: 30_000, what: 'all stock changes at OTTO' },
    );
    expect(before).toBeLessThan(mark);
    expect(updates.every((u) => u.items.length <= 200)).toBe(true);
    expect(updates.length).toBeLessThanOrEqual(6); // batched, not one call per article
    const stock = sim.sim.store.stockOf(seller.partnerId);
    catalog.forEach((sku, i) => expect(stock.get(sku)?.quantity).toBe(100 + i));
    expect(updates.flatMap((u) => u.rejectedSkus)).toEqual(expect.arrayContaining(['HUB-ONLY-0', 'HUB-ONLY-239']));
    // The simulator records a batch before the connector has read its answer: wait for the count.
    const refusedCount = /orderhub_connector_write_backs_total\{[^}]*action="stock"[^}]*outcome="failed"[^}]*\} (\d+)/;
    const refused = await waitFor(
      async () => {
        const n = Number(refusedCount.exec(await (await fetch(`${connector.url}/metrics`)).text())?.[1] ?? 0);
        return n >= 240 ? n : undefined;
      },
      { what: '240 refused stock items counted' },
    );
    // At least once each: a batch that met a transient failure (a 429 under load) is sent again on
    // redelivery (absolute quantities make that safe), and OTTO refuses its unknown SKUs again.
    expect(refused).toBeGreaterThanOrEqual(240);
  });

  it('CONN-4 / HUB-3: with sync direction channel→hub nothing is written to OTTO, and the refusal is in the history', async () => {
    const other = sim.seller('otto-one-way');
    const account = await hub.account('one-way merchant');
    const conn = await hub.ottoConnection(account, sim.url, other, { syncDirection: 'channelToHub', pollIntervalSeconds: 3600 });
    const [otto] = await sim.generate(other.partnerId, 1, 'PROCESSABLE');
    await hub.call(ConnectorTriggers.otto, { type: 'otto', connectionId: conn });
    const order = await hub.waitOrder(account, conn, otto.salesOrderId);
    await hub.call(Rpc.ordersCancel, { accountId: account, actor, body: { orderId: order.id } });
    expect(await waitActivity(order.id, 'otto.cancel')).toMatchObject({ outcome: 'refused', ruleId: 'CONN-4' });
    expect((await sim.admin<any[]>('GET', '/cancellations')).some((c) => c.salesOrderIds.includes(otto.salesOrderId))).toBe(false);
  });

  it("imports at once on ConnectorTriggers.otto, not only on the connection's interval", async () => {
    const other = sim.seller('otto-trigger');
    const account = await hub.account('trigger merchant');
    const conn = await hub.ottoConnection(account, sim.url, other, { pollIntervalSeconds: 3600 });
    await waitFor(async () => (await hub.checkpoint('otto', conn)) !== undefined, { what: 'first poll' });
    const [otto] = await sim.generate(other.partnerId, 1, 'PROCESSABLE');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await hub.findOrder(account, conn, otto.salesOrderId)).toBeUndefined(); // not before the trigger
    const reply = await hub.call(ConnectorTriggers.otto, { type: 'otto', connectionId: conn });
    expect(reply).toEqual({ accepted: true, connectionId: conn });
    await hub.waitOrder(account, conn, otto.salesOrderId, undefined, 5_000);
  });

  it('a poll hands in only orders new or changed since the last one, not its whole overlap again', async () => {
    const other = sim.seller('otto-overlap');
    const account = await hub.account('overlap merchant');
    const imports = await EventProbe.start(iso.natsUrl, `${iso.natsPrefix}.${Subjects.channelOrderImport}`);
    try {
      const conn = await hub.ottoConnection(account, sim.url, other, { pollIntervalSeconds: 3600 });
      const handedIn = () =>
        imports.bySubject(Subjects.channelOrderImport).filter((e) => (e as { data: { connectionId: string } }).data.connectionId === conn)
          .length;
      const pollFinished = async (after: { fromDate: string }) =>
        waitFor(
          async () => {
            const cp = await hub.checkpoint('otto', conn);
            return cp && !cp.run && cp.fromDate !== after.fromDate ? cp : undefined;
          },
          { what: 'the poll finished' },
        );
      let checkpoint = await waitFor(
        async () => {
          const cp = await hub.checkpoint('otto', conn);
          return cp && !cp.run ? cp : undefined;
        },
        { what: 'first poll' },
      );
      const generated = await sim.generate(other.partnerId, 3, 'ANNOUNCED');
      await hub.call(ConnectorTriggers.otto, { type: 'otto', connectionId: conn });
      for (const o of generated) await hub.waitOrder(account, conn, o.salesOrderId);
      checkpoint = await pollFinished(checkpoint);
      await waitFor(() => handedIn() === 3, { what: 'three orders handed in' });
      // The three are still in the overlap (OTTO_OVERLAP_SECONDS): the next poll reads them again and
      // hands in none of them.
      await hub.call(ConnectorTriggers.otto, { type: 'otto', connectionId: conn });
      checkpoint = await pollFinished(checkpoint);
      // A change at OTTO is handed in: the fourth import (NATS keeps the connector's publishes in
      // order, so a repeat from the poll before would have come first).
      await sim.admin('POST', `/orders/${generated[0].salesOrderId}/transition`, { to: 'PROCESSABLE' });
      await hub.call(ConnectorTriggers.otto, { type: 'otto', connectionId: conn });
      await pollFinished(checkpoint);
      await waitFor(() => handedIn() >= 4, { what: 'the changed order handed in' });
      expect(handedIn()).toBe(4);
    } finally {
      await imports.close();
    }
  });

  it('HUB-3: reports a permanent OTTO refusal (409: already shipped at OTTO) as failed instead of retrying', async () => {
    const { otto, order, account, seller: portalSeller } = await quietOrder('otto-portal', 'portal merchant');
    const items = (otto.positionItems as { positionItemId: string; fulfillmentStatus: string }[]).filter(
      (i) => i.fulfillmentStatus === 'PROCESSABLE',
    );
    // Someone shipped it in the OTTO portal with another tracking number.
    const token = (await (
      await fetch(`${sim.url}/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: 'token-otto-api',
          username: portalSeller.username,
          password: portalSeller.password,
        }),
      })
    ).json()) as { access_token: string };
    const res = await fetch(`${sim.url}/v1/shipments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        trackingKey: { carrier: 'DHL', trackingNumber: `PORTAL-${order.id.slice(0, 8)}` },
        shipDate: new Date().toISOString(),
        shipFromAddress: { city: 'Hamburg', countryCode: 'DEU', zipCode: '22179' },
        positionItems: items.map((i) => ({
          positionItemId: i.positionItemId,
          salesOrderId: otto.salesOrderId,
          returnTrackingKey: { carrier: 'DHL', trackingNumber: 'R1' },
        })),
      }),
    });
    expect(res.status).toBe(201);
    await shipWithDhl(order.id, `HUB-${order.id.slice(0, 8)}`, account);
    const report = await waitActivity(order.id, 'otto.ship');
    expect(report.outcome).toBe('failed');
    expect(report.detail).toMatch(/409/);
    // Acked, not retried: the write-back consumer has nothing pending or unacknowledged, and one report.
    await hub.consumerSettled(Subjects.orderShipped, 'channel-otto-shipped');
    expect(activities(order.id, 'otto.ship')).toHaveLength(1);
  });

  it('OTTO-4: a piece OTTO cancelled after the last poll stays out of the shipment (OTTO refuses it, the order is read again)', async () => {
    const { otto, order, account } = await quietOrder('otto-late-cancel', 'late cancel merchant', 2);
    const live = (otto.positionItems as { positionItemId: string; fulfillmentStatus: string }[]).filter(
      (i) => i.fulfillmentStatus === 'PROCESSABLE',
    );
    const [gone, ...kept] = live;
    await sim.admin('POST', `/orders/${otto.salesOrderId}/transition`, {
      to: 'CANCELLED_BY_MARKETPLACE',
      positionItemIds: [gone!.positionItemId],
    });
    const refusedBefore = await requestsTo('POST /v1/shipments', 400);
    await shipWithDhl(order.id, `LATE-${order.id.slice(0, 8)}`, account);
    const report = await waitActivity(order.id, 'otto.ship');
    expect(report.outcome).toBe('ok');
    expect(await requestsTo('POST /v1/shipments', 400)).toBe(refusedBefore + 1);
    const shipment = (await sim.admin<any[]>('GET', '/shipments')).find((s) =>
      s.positionItems.some((p: any) => p.salesOrderId === otto.salesOrderId),
    );
    expect(shipment.positionItems.map((p: any) => p.positionItemId).sort()).toEqual(kept.map((i) => i.positionItemId).sort());
  });
});
