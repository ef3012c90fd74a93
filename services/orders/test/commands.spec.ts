import { type AccountCreated, type ConnectionView, type ConnectorConnection, type Order, Rpc, Subjects } from '@orderhub/contracts';
import { DeadLetterQueue, SecretBox } from '@orderhub/platform';
import { EventProbe, isolate, type ServiceProcess, waitFor } from '@orderhub/testkit';
import { channelOrder, Hub, SECRETS_KEY, startOrders } from './orders-harness';

describe('orders: commands, channel rules, tenancy, connections (real FerretDB/NATS)', () => {
  const iso = isolate('ordcmd');
  let service: ServiceProcess;
  let hub: Hub;
  let probe: EventProbe;
  let account: AccountCreated;
  let other: AccountCreated;
  let otto: ConnectionView;
  let locked: ConnectionView;
  let open: ConnectionView;
  const ctx = (a = account) => ({ accountId: a.accountId, actor: 'api-key:test' });

  const importAndGet = (connection: ConnectionView, channel: string, externalId: string, over = {}) =>
    hub.importOrder(account.accountId, connection.id, channel, channelOrder(externalId, over));
  const events = (suffix: string, orderId: string) =>
    probe.bySubject(`.${suffix}`).filter((e) => (e as { data: { orderId: string } }).data.orderId === orderId) as {
      data: Record<string, unknown>;
    }[];

  beforeAll(async () => {
    service = await startOrders(iso);
    hub = await Hub.connect(iso);
    probe = await EventProbe.start(iso.natsUrl, `${iso.natsPrefix}.>`);
    [account, other] = await Promise.all([
      hub.call<AccountCreated>(Rpc.accountsCreate, { name: 'Cmd GmbH' }),
      hub.call<AccountCreated>(Rpc.accountsCreate, { name: 'Other GmbH' }),
    ]);
    otto = await hub.call<ConnectionView>(Rpc.connectionsCreate, {
      ...ctx(),
      body: { type: 'otto', settings: { name: 'OTTO' }, secrets: { username: 'otto-user', password: 'otto-secret-pw' } },
    });
    locked = await hub.call<ConnectionView>(Rpc.connectionsCreate, {
      ...ctx(),
      body: {
        type: 'serverspot',
        settings: { name: 'Locked shop', apiUrl: 'http://127.0.0.1:9/api', lockPositionsForbidInvoices: true },
        secrets: { shopKey: 'shop-key-plaintext-123' },
        verify: false,
      },
    });
    open = await hub.call<ConnectionView>(Rpc.connectionsCreate, {
      ...ctx(),
      body: {
        type: 'serverspot',
        settings: { name: 'Open shop', apiUrl: 'http://127.0.0.1:9/api' },
        secrets: { shopKey: 'k2' },
        verify: false,
      },
    });
  });

  afterAll(async () => {
    if (process.env.ORDERS_TEST_LOGS) process.stdout.write(service.logs());
    await probe?.close();
    await hub?.close();
    await service?.stop();
  });

  it('accounts: API key authenticates to its account; a wrong key is 401', async () => {
    expect(account.apiKey).toMatch(/^oh_[A-Za-z0-9_-]{43}$/);
    await expect(hub.call(Rpc.accountsAuthenticate, { apiKey: account.apiKey })).resolves.toEqual({
      accountId: account.accountId,
      apiKeyId: account.apiKeyId,
    });
    expect((await hub.refusal(Rpc.accountsAuthenticate, { apiKey: 'oh_wrong-key-123456' })).status).toBe(401);
    const raw = await hub.db.collection('accounts').findOne({ _id: account.accountId as never });
    expect(JSON.stringify(raw)).not.toContain(account.apiKey);
  });

  it('CONN-1/CONN-2: secrets are encrypted at rest (AES-256-GCM with key id) and never in replies; capabilities declared', async () => {
    const raw = await hub.db.collection('connections').findOne({ _id: locked.id as never });
    expect(JSON.stringify(raw)).not.toContain('shop-key-plaintext-123');
    expect(String(raw?.encryptedSecrets)).toMatch(/^v1\.k1\./);
    expect(JSON.stringify(locked)).not.toContain('shop-key-plaintext-123');
    expect(locked.secretsSet).toEqual(['shopKey']);
    expect(locked.capabilities).toContain('setStock');
    const listed = await hub.call<ConnectionView[]>(Rpc.connectionsList, { ...ctx(), body: {} });
    expect(JSON.stringify(listed)).not.toMatch(/otto-secret-pw|shop-key-plaintext/);
    const forConnector = await hub.call<ConnectorConnection[]>(Rpc.connectionsForConnector, { type: 'otto' });
    expect(forConnector.map((c) => c.id)).toEqual([otto.id]);
    const box = SecretBox.fromEnv(`k1:${SECRETS_KEY}`, 'k1');
    expect(box.decrypt(forConnector[0]?.encryptedSecrets as string)).toEqual({ username: 'otto-user', password: 'otto-secret-pw' });
    const updated = await hub.call<ConnectionView>(Rpc.connectionsUpdate, {
      ...ctx(),
      body: { connectionId: open.id, settings: { name: 'Renamed' }, secrets: { basicAuthPassword: 'pw-2' }, verify: false },
    });
    expect(updated.settings.name).toBe('Renamed');
    expect(updated.secretsSet).toEqual(['basicAuthPassword', 'shopKey']);
    expect(
      (await hub.refusal(Rpc.connectionsUpdate, { ...ctx(), body: { connectionId: open.id, settings: { apiUrl: 'not a url' } } })).status,
    ).toBe(400);
  });

  it('JIM-2: a Jimdo connection shows its inbound address', async () => {
    const jimdo = await hub.call<ConnectionView>(Rpc.connectionsCreate, {
      ...ctx(),
      body: { type: 'jimdo', settings: { name: 'Jimdo', forwardTo: 'me@example.org' } },
    });
    expect(jimdo.settings.inboundAddress).toBe(`${jimdo.id}-jimdo-orderimport@orders.orderhub.local`);
    expect(jimdo.capabilities).toEqual(['importOrders', 'sendMessages']);
  });

  it('state machine: refuses a change that is not allowed with 409; shipped publishes order.shipped with shipments', async () => {
    const order = await importAndGet(open, 'serverspot', 'SM-1');
    expect((await hub.refusal(Rpc.ordersChangeState, { ...ctx(), body: { orderId: order.id, state: 7 } })).status).toBe(409);
    await hub.call(Rpc.ordersAddShipment, {
      ...ctx(),
      body: { orderId: order.id, type: 'shipment', carrier: 'DHL', trackingNumber: 'T-1' },
    });
    const shipped = await hub.call<Order>(Rpc.ordersChangeState, { ...ctx(), body: { orderId: order.id, state: 4 } });
    expect(shipped.state).toBe(4);
    const event = await waitFor(() => events(Subjects.orderShipped, order.id)[0], { what: 'order.shipped' });
    expect(event.data).toMatchObject({ previousState: 3, shipments: [{ carrier: 'DHL', trackingNumber: 'T-1', type: 'shipment' }] });
    await waitFor(() => events(Subjects.orderStateChanged, order.id).length === 1, { what: 'order.state-changed' });
    await waitFor(() => events(Subjects.orderShipmentAdded, order.id).length === 1, { what: 'order.shipment-added' });
    expect((await hub.refusal(Rpc.ordersChangeState, { ...ctx(), body: { orderId: order.id, state: 8 } })).status).toBe(409);
    const withHistory = await hub.call<Order>(Rpc.ordersGet, { ...ctx(), body: { orderId: order.id } });
    expect(withHistory.history?.map((h) => [h.action, h.actor])).toEqual([
      ['imported', 'connector:serverspot'],
      ['shipment-added', 'api-key:test'],
      ['state-changed', 'api-key:test'],
    ]);
  });

  it("a write-back's changes of one order (shipment, return label, shipped) read it once: each next change starts from the write before", async () => {
    const order = await importAndGet(otto, 'otto', 'WB-ONE-READ');
    const finds = async () => {
      const page = await (await fetch(`${service.metricsUrl}/metrics`)).text();
      const lines = page.matchAll(/^orderhub_database_commands_total\{([^}]*)\} (\S+)$/gm);
      return [...lines]
        .filter((m) => /command="find"/.test(m[1] as string) && /phase="rpc"/.test(m[1] as string))
        .reduce((n, m) => n + Number(m[2]), 0);
    };
    const before = await finds();
    for (const [type, trackingNumber] of [
      ['shipment', 'WB-1'],
      ['return', 'WB-R-1'],
    ]) {
      await hub.call(Rpc.ordersAddShipment, { ...ctx(), body: { orderId: order.id, type, carrier: 'DHL', trackingNumber } });
    }
    const shipped = await hub.call<Order>(Rpc.ordersChangeState, { ...ctx(), body: { orderId: order.id, state: 4 } });
    expect(await finds()).toBe(before + 1);
    expect(shipped.shipments.map((s) => s.trackingNumber)).toEqual(['WB-1', 'WB-R-1']);
    const stored = await hub.call<Order>(Rpc.ordersGet, { ...ctx(), body: { orderId: order.id } });
    expect(stored).toMatchObject({ state: 4, version: order.version + 3 });
    expect(stored.history?.map((h) => h.action)).toEqual(['imported', 'shipment-added', 'shipment-added', 'state-changed']);
  });

  it('cancel publishes order.cancelled with the previous state (OTTO-10); tags publish order.tags-changed', async () => {
    const order = await importAndGet(open, 'serverspot', 'CX-1', { state: 2 });
    await hub.call(Rpc.ordersChangeTags, { ...ctx(), body: { orderId: order.id, add: ['wemalo', 'vip'], remove: [] } });
    await hub.call(Rpc.ordersChangeTags, { ...ctx(), body: { orderId: order.id, add: [], remove: ['vip'] } });
    const tags = await waitFor(
      () => events(Subjects.orderTagsChanged, order.id).length === 2 && events(Subjects.orderTagsChanged, order.id),
      { what: 'tags' },
    );
    expect(tags.map((e) => [e.data.added, e.data.removed])).toEqual([
      [['wemalo', 'vip'], []],
      [[], ['vip']],
    ]);
    const cancelled = await hub.call<Order>(Rpc.ordersCancel, { ...ctx(), body: { orderId: order.id, reason: 'buyer asked' } });
    expect(cancelled.state).toBe(8);
    const event = await waitFor(() => events(Subjects.orderCancelled, order.id)[0], { what: 'order.cancelled' });
    expect(event.data).toMatchObject({ previousState: 2, reason: 'buyer asked' });
  });

  it('final states are final: a cancelled order refuses shipments, position edits, invoices and tags (409 with the reason); parcels the warehouse ships for it are recorded, not added', async () => {
    const order = await importAndGet(open, 'serverspot', 'FIN-1');
    await hub.call(Rpc.ordersCancel, { ...ctx(), body: { orderId: order.id, reason: 'buyer asked' } });
    const refusals = await Promise.all([
      hub.refusal(Rpc.ordersAddShipment, {
        ...ctx(),
        body: { orderId: order.id, type: 'shipment', carrier: 'DHL', trackingNumber: 'T-9' },
      }),
      hub.refusal(Rpc.ordersEditPositions, {
        ...ctx(),
        body: { orderId: order.id, positions: [{ title: 'Other', quantity: 1, unitPrice: 1, totalPrice: 1 }] },
      }),
      hub.refusal(Rpc.ordersCreateInvoice, { ...ctx(), body: { orderId: order.id } }),
      hub.refusal(Rpc.ordersChangeTags, { ...ctx(), body: { orderId: order.id, add: ['late'], remove: [] } }),
    ]);
    expect(refusals.map((p) => [p.status, p.detail])).toEqual([
      [409, expect.stringMatching(/^This order is cancelled; .*no more shipments/)],
      [409, expect.stringMatching(/no more position edits/)],
      [409, expect.stringMatching(/no more invoices/)],
      [409, expect.stringMatching(/no more tag changes/)],
    ]);
    await hub.publishCommand(Subjects.fulfillmentParcelsShipped, account.accountId, {
      orderId: order.id,
      connectionId: open.id,
      parcels: [{ type: 'shipment', carrier: 'DHL', trackingNumber: 'LATE-1' }],
    });
    const after = await waitFor(
      async () => {
        const o = await hub.call<Order>(Rpc.ordersGet, { ...ctx(), body: { orderId: order.id } });
        return o.history?.some((h) => h.action === 'parcels-shipped') ? o : undefined;
      },
      { what: 'parcels report in the history' },
    );
    expect(after).toMatchObject({ state: 8, shipments: [], tags: [] });
    expect(after.invoiceNumber).toBeUndefined();
    expect(after.history?.find((h) => h.action === 'parcels-shipped')).toMatchObject({
      outcome: 'refused',
      detail: expect.stringContaining('LATE-1'),
    });
  });

  it('money is finite: positions whose totals overflow (two at 1e308) are refused with 400, the order keeps its total', async () => {
    const order = await importAndGet(open, 'serverspot', 'MONEY-1');
    const big = { title: 'Huge', quantity: 1, unitPrice: 1e308, totalPrice: 1e308 };
    const problem = await hub.refusal(Rpc.ordersEditPositions, { ...ctx(), body: { orderId: order.id, positions: [big, big] } });
    expect(problem.status).toBe(400);
    const stored = await hub.call<Order>(Rpc.ordersGet, { ...ctx(), body: { orderId: order.id } });
    expect(stored.totalGross).toBe(order.totalGross);
    expect(stored.totalGross).not.toBeNull();
  });

  it('OTTO-8: an OTTO order can only be cancelled whole', async () => {
    const order = await importAndGet(otto, 'otto', 'OT-8');
    const problem = await hub.refusal(Rpc.ordersCancel, { ...ctx(), body: { orderId: order.id, positionExternalIds: ['OT-8-p1'] } });
    expect(problem).toMatchObject({ status: 422, ruleId: 'OTTO-8' });
    expect((await hub.call<Order>(Rpc.ordersCancel, { ...ctx(), body: { orderId: order.id } })).state).toBe(8);
  });

  it.each([
    {
      title: 'OTTO-2: never an invoice for an OTTO order; OTTO-1: its positions are locked',
      connection: () => otto,
      channel: 'otto',
      externalId: 'OT-2',
      invoiceRule: 'OTTO-2',
      editRule: 'OTTO-1',
    },
    {
      title: 'SSP-2: a connection that locks positions forbids invoices and position edits',
      connection: () => locked,
      channel: 'serverspot',
      externalId: 'SSP-2',
      invoiceRule: 'SSP-2',
      editRule: 'SSP-2',
    },
  ])('$title', async ({ connection, channel, externalId, invoiceRule, editRule }) => {
    const order = await importAndGet(connection(), channel, externalId);
    expect(order.positionsLocked).toBe(true);
    expect(await hub.refusal(Rpc.ordersCreateInvoice, { ...ctx(), body: { orderId: order.id } })).toMatchObject({
      status: 422,
      ruleId: invoiceRule,
    });
    const positions = [{ title: 'x', quantity: 1, unitPrice: 1, totalPrice: 1 }];
    expect(await hub.refusal(Rpc.ordersEditPositions, { ...ctx(), body: { orderId: order.id, positions } })).toMatchObject({
      status: 422,
      ruleId: editRule,
    });
  });

  it('invoice numbers are sequential per account and never reused; a second invoice is 409', async () => {
    const orders = await Promise.all(['INV-1', 'INV-2', 'INV-3', 'INV-4'].map((id) => importAndGet(open, 'serverspot', id)));
    const invoiced = await Promise.all(orders.map((o) => hub.call<Order>(Rpc.ordersCreateInvoice, { ...ctx(), body: { orderId: o.id } })));
    expect(invoiced.map((o) => Number(o.invoiceNumber)).sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
    expect((await hub.refusal(Rpc.ordersCreateInvoice, { ...ctx(), body: { orderId: orders[0]?.id } })).status).toBe(409);
    const next = await importAndGet(open, 'serverspot', 'INV-5');
    expect((await hub.call<Order>(Rpc.ordersCreateInvoice, { ...ctx(), body: { orderId: next.id } })).invoiceNumber).toBe('5');
    const edited = await hub.call<Order>(Rpc.ordersEditPositions, {
      ...ctx(),
      body: { orderId: next.id, positions: [{ title: 'y', quantity: 2, unitPrice: 3, totalPrice: 6 }] },
    });
    expect(edited.totalGross).toBe(10.9);
  });

  it("tenant isolation: another account's order is 404 for get, change-state and cancel (never 403)", async () => {
    const order = await importAndGet(open, 'serverspot', 'TEN-1');
    for (const [subject, body] of [
      [Rpc.ordersGet, { orderId: order.id }],
      [Rpc.ordersChangeState, { orderId: order.id, state: 2 }],
      [Rpc.ordersCancel, { orderId: order.id }],
      [Rpc.ordersCreateInvoice, { orderId: order.id }],
    ] as const) {
      expect((await hub.refusal(subject, { ...ctx(other), body })).status).toBe(404);
    }
    expect((await hub.refusal(Rpc.connectionsGet, { ...ctx(other), body: { connectionId: open.id } })).status).toBe(404);
    expect((await hub.call<Order>(Rpc.ordersGet, { ...ctx(), body: { orderId: order.id } })).state).toBe(3);
  });

  it('channel.activity.report lands in the history with tags; fulfillment.parcels-shipped adds shipments once and ships (WEM-6)', async () => {
    const order = await importAndGet(open, 'serverspot', 'ACT-1');
    const report = {
      orderId: order.id,
      connectionId: open.id,
      action: 'forward-order',
      outcome: 'ok',
      detail: 'sent to wemalo',
      addTags: ['order_received_by_wemalo'],
    };
    const reportId = await hub.publishCommand(Subjects.channelActivityReport, account.accountId, report);
    await hub.publishCommand(Subjects.channelActivityReport, account.accountId, report, reportId);
    await waitFor(() => events(Subjects.orderChannelActivity, order.id).length === 1, { what: 'order.channel-activity' });
    const parcels = { orderId: order.id, connectionId: open.id, parcels: [{ type: 'shipment', carrier: 'DHL', trackingNumber: 'P-1' }] };
    await hub.publishCommand(Subjects.fulfillmentParcelsShipped, account.accountId, parcels);
    await hub.publishCommand(Subjects.fulfillmentParcelsShipped, account.accountId, parcels);
    await waitFor(() => events(Subjects.orderShipped, order.id).length === 1, { what: 'order.shipped' });
    await new Promise((r) => setTimeout(r, 500));
    const after = await hub.call<Order>(Rpc.ordersGet, { ...ctx(), body: { orderId: order.id } });
    expect(after.state).toBe(4);
    expect(after.shipments.map((s) => s.trackingNumber)).toEqual(['P-1']);
    expect(after.tags).toEqual(['order_received_by_wemalo']);
    expect(after.history?.filter((h) => h.action === 'forward-order')).toHaveLength(1);
    expect(events(Subjects.orderTagsChanged, order.id)).toHaveLength(1);
  });

  it('reports of several connectors on one order at once all land, each once; a report on an unknown order is parked with the reason', async () => {
    const order = await importAndGet(open, 'serverspot', 'ACT-MANY');
    const report = (action: string, addTags: string[]) => ({ orderId: order.id, connectionId: open.id, action, outcome: 'ok', addTags });
    const unknown = { ...report('forward-order', []), orderId: 'ord_never_imported' };
    await Promise.all([
      hub.publishCommand(Subjects.channelActivityReport, account.accountId, report('forward-order', ['at_wemalo'])),
      hub.publishCommand(Subjects.channelActivityReport, account.accountId, report('otto.shipment', ['shipment_sent'])),
      hub.publishCommand(Subjects.channelActivityReport, account.accountId, unknown),
      hub.publishCommand(Subjects.channelActivityReport, account.accountId, report('otto.return-tracking', [])),
    ]);
    await waitFor(() => events(Subjects.orderChannelActivity, order.id).length === 3, { what: 'three order.channel-activity' });
    const after = await hub.call<Order>(Rpc.ordersGet, { ...ctx(), body: { orderId: order.id } });
    expect(
      after.history
        ?.map((h) => h.action)
        .filter((a) => a !== 'imported' && a !== 'tags-changed')
        .sort(),
    ).toEqual(['forward-order', 'otto.return-tracking', 'otto.shipment']);
    expect([...after.tags].sort()).toEqual(['at_wemalo', 'shipment_sent']);
    const parked = await waitFor(
      async () => (await new DeadLetterQueue(hub.nats).list()).find((m) => m.data.includes('ord_never_imported')),
      { what: 'the report on an unknown order parked' },
    );
    expect(parked.reason).toMatch(/order ord_never_imported not found/);
  });
});
