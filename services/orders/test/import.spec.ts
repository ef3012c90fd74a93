import { randomUUID } from 'node:crypto';
import { type AccountCreated, type Article, type ConnectionView, type Order, type Page, Rpc, Subjects } from '@orderhub/contracts';
import { EventProbe, isolate, type ServiceProcess, waitFor } from '@orderhub/testkit';
import { channelOrder, Hub, startOrders } from './orders-harness';

describe('orders: channel order import (two replicas, real FerretDB/NATS)', () => {
  const iso = isolate('ordimport');
  let replicas: ServiceProcess[] = [];
  let hub: Hub;
  let probe: EventProbe;
  let account: AccountCreated;
  let connection: ConnectionView;
  const ctx = () => ({ accountId: account.accountId, actor: 'api-key:test' });

  beforeAll(async () => {
    replicas = await Promise.all([startOrders(iso), startOrders(iso)]);
    hub = await Hub.connect(iso);
    probe = await EventProbe.start(iso.natsUrl, `${iso.natsPrefix}.>`);
    account = await hub.call<AccountCreated>(Rpc.accountsCreate, { name: 'Import GmbH' });
    connection = await hub.call<ConnectionView>(Rpc.connectionsCreate, {
      ...ctx(),
      body: { type: 'serverspot', settings: { name: 'Shop', apiUrl: 'http://127.0.0.1:9/api' }, secrets: { shopKey: 'k' }, verify: false },
    });
  });

  afterAll(async () => {
    if (process.env.ORDERS_TEST_LOGS) process.stdout.write(replicas.map((r) => r.logs()).join('\n'));
    await probe?.close();
    await hub?.close();
    await Promise.all(replicas.map((r) => r.stop()));
  });

  const imported = (externalId: string) =>
    probe.bySubject(`.${Subjects.orderImported}`).filter((e) => (e as { data: { externalId: string } }).data.externalId === externalId);
  const distinct = (events: unknown[]) => new Set(events.map((e) => (e as { eventId: string }).eventId)).size;
  const updated = (externalId: string) =>
    probe.bySubject(`.${Subjects.orderUpdated}`).filter((e) => (e as { data: { externalId: string } }).data.externalId === externalId);

  /** Import commands both replicas have finished with (any outcome), and whether their outboxes are empty. */
  async function importsDone(): Promise<{ handled: number; outboxEmpty: boolean }> {
    let handled = 0;
    let outboxEmpty = true;
    for (const r of replicas) {
      const page = await (await fetch(`${r.metricsUrl}/metrics`)).text();
      for (const m of page.matchAll(/^orderhub_orders_imports_total\{[^}]*\} (\S+)$/gm)) handled += Number(m[1]);
      for (const m of page.matchAll(/^orderhub_outbox_pending_documents(?:\{[^}]*\})? (\S+)$/gm)) outboxEmpty &&= Number(m[1]) === 0;
    }
    return { handled, outboxEmpty };
  }

  /** Waits until `count` more import commands are handled and nothing waits in an outbox. */
  async function awaitImportsHandled(before: number, count: number): Promise<void> {
    await waitFor(
      async () => {
        const done = await importsDone();
        return done.handled >= before + count && done.outboxEmpty;
      },
      { what: `${count} import commands handled` },
    );
  }

  it('HUB-2: 20 parallel deliveries of the same channel order (different event ids) give one order and one order.imported', async () => {
    const order = channelOrder('EXT-RACE');
    const before = (await importsDone()).handled;
    await Promise.all(Array.from({ length: 20 }, () => hub.publishImport(account.accountId, connection.id, 'serverspot', order)));
    await awaitImportsHandled(before, 20);
    // A relay whose lease ran out may publish again (same Nats-Msg-Id); the stream keeps one.
    expect(new Set(imported('EXT-RACE').map((e) => (e as { eventId: string }).eventId)).size).toBe(1);
    expect((await hub.streamMessages(Subjects.orderImported)).filter((m) => m.data.externalId === 'EXT-RACE')).toHaveLength(1);
    expect(updated('EXT-RACE')).toHaveLength(0);
    expect(await hub.db.collection('orders').countDocuments({ externalId: 'EXT-RACE' })).toBe(1);
    const event = imported('EXT-RACE')[0] as { eventId: string; accountId: string; data: { order: Order } };
    expect(event.accountId).toBe(account.accountId);
    expect(event.data.order).toMatchObject({ externalId: 'EXT-RACE', state: 3, totalGross: 27.4, positionsLocked: false, version: 1 });
  });

  it('HUB-2: a changed import updates the order and publishes order.updated with the changed fields; an identical one does nothing', async () => {
    const order = channelOrder('EXT-CHG');
    await hub.publishImport(account.accountId, connection.id, 'serverspot', order);
    await waitFor(() => imported('EXT-CHG').length === 1, { what: 'first import' });

    await hub.publishImport(account.accountId, connection.id, 'serverspot', { ...order, shippingCost: 0, comments: ['please hurry'] });
    const event = (await waitFor(() => updated('EXT-CHG')[0], { what: 'order.updated' })) as {
      data: { changedFields: string[]; order: Order };
    };
    expect(event.data.changedFields.sort()).toEqual(['comments', 'shippingCost']);
    expect(event.data.order.totalGross).toBe(22.5);

    const before = (await importsDone()).handled;
    await hub.publishImport(account.accountId, connection.id, 'serverspot', { ...order, shippingCost: 0, comments: ['please hurry'] });
    await hub.publishImport(account.accountId, connection.id, 'serverspot', {
      ...order,
      shippingCost: 0,
      comments: ['please hurry'],
      rawPayload: '{"fetchedAt":"now"}',
    });
    await awaitImportsHandled(before, 2);
    expect(distinct(updated('EXT-CHG'))).toBe(1);
    expect(distinct(imported('EXT-CHG'))).toBe(1);

    const found = await hub.call<Order>(Rpc.ordersFindByExternalId, {
      ...ctx(),
      body: { connectionId: connection.id, externalId: 'EXT-CHG' },
    });
    expect(found.version).toBe(2);
    expect(found.history?.map((h) => h.action)).toEqual(['imported', 'updated']);
    expect(found.history?.[0]?.actor).toBe('connector:serverspot');
  });

  /** Database commands of both replicas in one kind of work (`phase` of bench/src/work-cost.ts). */
  async function commandsIn(phase: 'command' | 'outbox'): Promise<number> {
    let n = 0;
    for (const r of replicas) {
      const page = await (await fetch(`${r.metricsUrl}/metrics`)).text();
      for (const m of page.matchAll(/^orderhub_database_commands_total\{([^}]*)\} (\S+)$/gm)) {
        if ((m[1] as string).includes(`phase="${phase}"`)) n += Number(m[2]);
      }
    }
    return n;
  }

  it('a changed import publishes its own events: the outbox costs one write, no marker and no second read', async () => {
    const order = channelOrder('EXT-COST');
    await hub.publishImport(account.accountId, connection.id, 'serverspot', order);
    await waitFor(() => imported('EXT-COST').length === 1, { what: 'first import' });
    const outboxEmpty = async () =>
      !((await hub.db.collection('orders').findOne({ externalId: 'EXT-COST' }))?.outbox as unknown[] | undefined)?.length;
    await waitFor(outboxEmpty, { what: 'first events cleared' });
    const before = await commandsIn('outbox');
    await hub.publishImport(account.accountId, connection.id, 'serverspot', { ...order, comments: ['ring twice'] });
    await waitFor(() => updated('EXT-COST')[0], { what: 'order.updated' });
    await waitFor(outboxEmpty, { what: 'order.updated cleared from the outbox' });
    // Only the clearing write; the relay's way read the order again, removed a marker, claimed and wrote.
    expect(await commandsIn('outbox')).toBe(before + 1);
  });

  it('changes of one order spread over both replicas in quick succession all land: a copy the other replica has passed is read again', async () => {
    const order = await hub.importOrder(account.accountId, connection.id, 'serverspot', channelOrder('EXT-TWO-WRITERS'));
    const tags = Array.from({ length: 16 }, (_, i) => `t${i}`);
    for (const tag of tags) await hub.call(Rpc.ordersChangeTags, { ...ctx(), body: { orderId: order.id, add: [tag], remove: [] } });
    const stored = await hub.call<Order>(Rpc.ordersGet, { ...ctx(), body: { orderId: order.id } });
    expect([...stored.tags].sort()).toEqual([...tags].sort());
    expect(stored.version).toBe(order.version + tags.length);
    expect(stored.history?.filter((h) => h.action === 'tags-changed')).toHaveLength(tags.length);
  });

  it("the channel's payload is kept apart from the order: a changed import replaces it, and an order that still holds it inline moves it out at its next change", async () => {
    const raw = (n: number) => JSON.stringify({ fetched: n, note: 'as the shop sent it' });
    const order = await hub.importOrder(account.accountId, connection.id, 'serverspot', channelOrder('EXT-RAW', { rawPayload: raw(1) }));
    const rawOf = async () =>
      (await hub.call<{ rawPayload: string | null }>(Rpc.ordersRawPayload, { ...ctx(), body: { orderId: order.id } })).rawPayload;
    const orders = hub.db.collection<{ _id: string; rawPayload?: string }>('orders');
    const payloads = hub.db.collection<{ _id: string; rawPayload: string }>('order_payloads');
    expect(await rawOf()).toBe(raw(1));
    expect((await orders.findOne({ _id: order.id }))?.rawPayload).toBeUndefined();

    await hub.publishImport(
      account.accountId,
      connection.id,
      'serverspot',
      channelOrder('EXT-RAW', { rawPayload: raw(2), comments: ['x'] }),
    );
    await waitFor(() => updated('EXT-RAW')[0], { what: 'order.updated' });
    expect(await rawOf()).toBe(raw(2));
    expect((await orders.findOne({ _id: order.id }))?.rawPayload).toBeUndefined();

    // As an order was stored before: payload inline, none apart (one no replica has changed since).
    const old = await hub.importOrder(account.accountId, connection.id, 'serverspot', channelOrder('EXT-RAW-OLD', { rawPayload: raw(3) }));
    await payloads.deleteOne({ _id: old.id });
    await orders.updateOne({ _id: old.id }, { $set: { rawPayload: raw(3) } });
    const rawOfOld = async () =>
      (await hub.call<{ rawPayload: string | null }>(Rpc.ordersRawPayload, { ...ctx(), body: { orderId: old.id } })).rawPayload;
    expect(await rawOfOld()).toBe(raw(3));
    await hub.call(Rpc.ordersChangeTags, { ...ctx(), body: { orderId: old.id, add: ['moved'], remove: [] } });
    expect((await orders.findOne({ _id: old.id }))?.rawPayload).toBeUndefined();
    expect((await payloads.findOne({ _id: old.id }))?.rawPayload).toBe(raw(3));
    expect(await rawOfOld()).toBe(raw(3));
  });

  it('JIM-3: positions with a SKU link to one article (created once), positions without SKU stay unlinked', async () => {
    await hub.publishImport(
      account.accountId,
      connection.id,
      'serverspot',
      channelOrder('EXT-ART-1', {
        positions: [
          { sku: 'ART-9', title: 'Mug', quantity: 1, unitPrice: 7, totalPrice: 7 },
          { title: 'No sku', quantity: 1, unitPrice: 1, totalPrice: 1 },
        ],
      }),
    );
    await hub.publishImport(
      account.accountId,
      connection.id,
      'serverspot',
      channelOrder('EXT-ART-2', { positions: [{ sku: 'ART-9', title: 'Mug', quantity: 3, unitPrice: 7, totalPrice: 21 }] }),
    );
    await waitFor(() => imported('EXT-ART-1').length > 0 && imported('EXT-ART-2').length > 0, { what: 'both imports' });
    const page = await hub.call<Page<Article>>(Rpc.articlesList, { ...ctx(), body: { sku: 'ART-9' } });
    expect(page.items).toHaveLength(1);
    const article = page.items[0] as Article;
    const [a, b] = await Promise.all(
      ['EXT-ART-1', 'EXT-ART-2'].map((externalId) =>
        hub.call<Order>(Rpc.ordersFindByExternalId, { ...ctx(), body: { connectionId: connection.id, externalId } }),
      ),
    );
    expect(a?.positions[0]?.articleId).toBe(article.id);
    expect(a?.positions[1]?.articleId).toBeUndefined();
    expect(b?.positions[0]?.articleId).toBe(article.id);
    await waitFor(
      () =>
        probe.bySubject(`.${Subjects.articleChanged}`).filter((e) => (e as { data: { article: Article } }).data.article.sku === 'ART-9')
          .length === 1,
      { what: 'article.changed' },
    );
  });

  it('a connector asks which of its channel orders are stored in one request; another account learns nothing', async () => {
    await waitFor(() => imported('EXT-ART-1').length > 0 && imported('EXT-ART-2').length > 0, { what: 'both imports' });
    const ask = (accountId: string) =>
      hub.call<{ externalIds: string[] }>(Rpc.ordersStoredExternalIds, {
        accountId,
        actor: 'connector:serverspot',
        body: { connectionId: connection.id, externalIds: ['EXT-ART-2', 'EXT-NEVER', 'EXT-ART-1'] },
      });
    expect((await ask(account.accountId)).externalIds.sort()).toEqual(['EXT-ART-1', 'EXT-ART-2']);
    const other = await hub.call<AccountCreated>(Rpc.accountsCreate, { name: 'Curious GmbH' });
    expect((await ask(other.accountId)).externalIds).toEqual([]);
  });

  it("HUB-16: an import into another account's connection is parked with the reason and imports nothing; the same order into its own connection imports", async () => {
    const other = await hub.call<AccountCreated>(Rpc.accountsCreate, { name: 'Other GmbH' });
    const order = channelOrder(`FOREIGN-${randomUUID()}`);
    await hub.publishImport(other.accountId, connection.id, 'serverspot', order);
    const parked = await waitFor(
      async () =>
        (
          await hub.streamMessages<{ accountId: string; data: { order: { externalId: string } } }>(
            `${Subjects.deadLetter}.${Subjects.channelOrderImport}`,
          )
        ).find((m) => m.data.order.externalId === order.externalId),
      { what: 'the foreign import parked', timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(parked?.accountId).toBe(other.accountId);
    await hub.publishImport(account.accountId, connection.id, 'serverspot', order);
    await waitFor(() => imported(order.externalId).length === 1, { what: 'the import into the own connection' });
    const foreign = await hub.call<Page<Order>>(Rpc.ordersList, { accountId: other.accountId, actor: 'x', body: {} });
    expect(foreign.items).toHaveLength(0);
    expect(imported(order.externalId).map((e) => (e as { accountId: string }).accountId)).toEqual([account.accountId]);
  });

  it('lists orders newest first with cursor paging, filters and case-insensitive prefix search', async () => {
    const base = Date.parse('2025-05-01T00:00:00Z');
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        hub.publishImport(
          account.accountId,
          connection.id,
          'serverspot',
          channelOrder(`LIST-${i}`, {
            orderedAt: new Date(base + i * 60_000).toISOString(),
            buyer: { firstName: 'Zoë', lastName: i === 2 ? 'Özdemir' : 'Listmann', email: `l${i}@example.org` },
          }),
        ),
      ),
    );
    await waitFor(() => [0, 1, 2, 3, 4].every((i) => imported(`LIST-${i}`).length === 1), { what: 'list orders' });
    const q = { from: '2025-04-30T00:00:00Z', to: '2025-05-02T00:00:00Z' };
    const first = await hub.call<Page<Order>>(Rpc.ordersList, { ...ctx(), body: { ...q, limit: 2 } });
    expect(first.items.map((o) => o.externalId)).toEqual(['LIST-4', 'LIST-3']);
    expect(first.items[0]?.history).toBeUndefined();
    const second = await hub.call<Page<Order>>(Rpc.ordersList, { ...ctx(), body: { ...q, limit: 2, cursor: first.nextCursor } });
    expect(second.items.map((o) => o.externalId)).toEqual(['LIST-2', 'LIST-1']);
    const third = await hub.call<Page<Order>>(Rpc.ordersList, { ...ctx(), body: { ...q, limit: 2, cursor: second.nextCursor } });
    expect(third.items.map((o) => o.externalId)).toEqual(['LIST-0']);
    expect(third.nextCursor).toBeUndefined();
    const search = await hub.call<Page<Order>>(Rpc.ordersList, { ...ctx(), body: { search: 'özd' } });
    expect(search.items.map((o) => o.externalId)).toEqual(['LIST-2']);
    const byNumber = await hub.call<Page<Order>>(Rpc.ordersList, { ...ctx(), body: { search: 'on-list-3', state: [3] } });
    expect(byNumber.items.map((o) => o.externalId)).toEqual(['LIST-3']);
    const otherAccount = await hub.call<Page<Order>>(Rpc.ordersList, { accountId: randomUUID(), actor: 'x', body: {} });
    expect(otherAccount.items).toHaveLength(0);
  });
});
