import { randomUUID } from 'node:crypto';
import {
  type AccountCreated,
  ChannelOrderSchema,
  type ConnectionView,
  Durables,
  orderContentHash,
  Rpc,
  Subjects,
} from '@orderhub/contracts';
import { DeadLetterQueue, revisionCheckFor } from '@orderhub/platform';
import { commandEnvelope, isolate, type ServiceProcess, waitFor } from '@orderhub/testkit';
import { orderIdFor } from '../src/domain/order-id';
import { channelOrder, Hub, startOrders } from './orders-harness';

describe('orders: outbox relay and crash recovery (real FerretDB/NATS, service processes)', () => {
  const iso = isolate('ordoutbox');
  let hub: Hub;
  const running: ServiceProcess[] = [];

  beforeAll(async () => {
    hub = await Hub.connect(iso);
  });

  afterAll(async () => {
    if (process.env.ORDERS_TEST_LOGS)
      process.stdout.write(
        running
          .map((s) => s.logs())
          .join('\n')
          .slice(-5000),
      );
    await Promise.all(running.map((s) => s.stop()));
    await hub?.close();
  });

  async function accountWithConnection(name: string): Promise<{ accountId: string; connectionId: string }> {
    const { accountId } = await hub.call<AccountCreated>(Rpc.accountsCreate, { name });
    const { id: connectionId } = await hub.call<ConnectionView>(Rpc.connectionsCreate, {
      accountId,
      actor: 'api-key:test',
      body: { type: 'serverspot', settings: { name: 'Shop', apiUrl: 'http://127.0.0.1:9/api' }, secrets: { shopKey: 'k' }, verify: false },
    });
    return { accountId, connectionId };
  }

  it('a pending outbox left by a crashed process (already published once) is delivered exactly once, with two relays racing', async () => {
    const orderId = randomUUID();
    const eventId = randomUUID();
    const data = { orderId, connectionId: 'c1', channel: 'serverspot', externalId: 'CRASH-1', order: { id: orderId } };
    const envelope = commandEnvelope(Subjects.orderImported, 'acc-crashed', data, eventId);
    // The crashed process published once but died before removing the entry.
    await hub.publish(Subjects.orderImported, envelope);
    await hub.db.collection('orders').insertOne({
      _id: orderId as never,
      accountId: 'acc-crashed',
      connectionId: 'c1',
      channel: 'serverspot',
      externalId: 'CRASH-1',
      state: 3,
      orderedAt: new Date(),
      history: [],
      version: 1,
      outbox: [{ eventId, subject: Subjects.orderImported, payload: JSON.stringify(envelope), createdAt: new Date() }],
      outboxDirty: true,
      rev: 0,
    });
    running.push(...(await Promise.all([startOrders(iso), startOrders(iso)])));
    await waitFor(async () => (await hub.db.collection('orders').findOne({ _id: orderId as never }))?.outboxDirty === false, {
      what: 'outbox drained',
    });
    const delivered = (await hub.streamMessages(Subjects.orderImported)).filter((m) => m.eventId === eventId);
    expect(delivered).toHaveLength(1);
    // The crash also came before the order's list copy (FerretDB lists run on copies): the start puts it back.
    // hub.db is a mongoose Connection (open: Hub.connect awaited it); the check asks the driver's Db.
    if ((await revisionCheckFor(hub.db.db!)) === 'claims') {
      await waitFor(async () => !!(await hub.db.collection('orders_list').findOne({ _id: orderId as never })), {
        what: 'list copy repaired',
      });
      expect(await hub.db.collection('orders_list').findOne({ _id: orderId as never })).toMatchObject({
        accountId: 'acc-crashed',
        state: 3,
      });
    }
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  it('a change over the API publishes its own event before it answers and leaves nothing for the relay', async () => {
    const service = await startOrders(iso, { OUTBOX_POLL_MS: '600000' }); // the relay's poll would hide a writer that left its events
    running.push(service);
    const { accountId, connectionId } = await accountWithConnection('Writer GmbH');
    const order = await hub.importOrder(accountId, connectionId, 'serverspot', channelOrder('W-1'));
    await waitFor(async () => (await hub.db.collection('orders').findOne({ _id: order.id as never }))?.outboxDirty === false, {
      what: 'the import published',
    });
    await hub.call(Rpc.ordersChangeTags, { accountId, actor: 'test', body: { orderId: order.id, add: ['vip'], remove: [] } });
    const tagged = (await hub.streamMessages(Subjects.orderTagsChanged)).filter((m) => m.data.orderId === order.id);
    expect(tagged).toHaveLength(1);
    expect(await hub.db.collection('orders').findOne({ _id: order.id as never })).toMatchObject({ outbox: [], outboxDirty: false });
    expect(await hub.db.collection('outbox_markers').countDocuments({ docId: order.id })).toBe(0);
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  it('events an order still held when it was changed go out first, then the new one', async () => {
    const service = await startOrders(iso);
    running.push(service);
    const { accountId, connectionId } = await accountWithConnection('Pending GmbH');
    const order = await hub.importOrder(accountId, connectionId, 'serverspot', channelOrder('P-1'));
    const orders = hub.db.collection('orders');
    await waitFor(async () => (await orders.findOne({ _id: order.id as never }))?.outboxDirty === false, { what: 'the import published' });
    // As a crash between a write and its publication leaves it: an entry in the order, no marker.
    const eventId = randomUUID();
    const data = { orderId: order.id, connectionId, channel: 'serverspot', externalId: 'P-1', order: { id: order.id } };
    const pending = commandEnvelope(Subjects.orderTagsChanged, accountId, { ...data, added: ['early'], removed: [] }, eventId);
    await orders.updateOne(
      { _id: order.id as never },
      {
        $set: {
          outbox: [{ eventId, subject: Subjects.orderTagsChanged, payload: JSON.stringify(pending), createdAt: new Date() }],
          outboxDirty: true,
        },
      },
    );
    await hub.call(Rpc.ordersChangeTags, { accountId, actor: 'test', body: { orderId: order.id, add: ['late'], remove: [] } });
    const ofOrder = async () => (await hub.streamMessages(Subjects.orderTagsChanged)).filter((m) => m.data.orderId === order.id);
    const events = await waitFor(async () => ((await ofOrder()).length >= 2 ? ofOrder() : undefined), { what: 'both events' });
    expect(events.map((e) => e.eventId)[0]).toBe(eventId);
    expect(events).toHaveLength(2);
    await waitFor(async () => (await orders.findOne({ _id: order.id as never }))?.outboxDirty === false, { what: 'outbox drained' });
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  it('an import command redelivered after its order was stored, before its order.imported went out, publishes that event once', async () => {
    const service = await startOrders(iso);
    running.push(service);
    const { accountId, connectionId } = await accountWithConnection('Redelivery GmbH');
    const template = await hub.importOrder(accountId, connectionId, 'serverspot', channelOrder('T-1'));
    const orders = hub.db.collection('orders');
    // As a crash between the batch's insert and its publish leaves it: the order, created by the
    // command `commandId`, and no event (imports keep no outbox; the unacknowledged command is the record).
    const commandId = randomUUID();
    const r1 = channelOrder('R-1');
    const orderId = orderIdFor(accountId, connectionId, 'R-1');
    const stored = (await orders.findOne({ _id: template.id as never }))!;
    await orders.insertOne({
      ...stored,
      _id: orderId as never,
      externalId: 'R-1',
      contentHash: orderContentHash(ChannelOrderSchema.parse(r1)),
      importCommandId: commandId,
      outbox: [],
      outboxDirty: false,
      rev: 0,
    });
    await hub.publishImport(accountId, connectionId, 'serverspot', r1, commandId);
    const ofOrder = async () => (await hub.streamMessages(Subjects.orderImported)).filter((m) => m.data.orderId === orderId);
    const events = await waitFor(async () => ((await ofOrder()).length ? ofOrder() : undefined), { what: 'order.imported of R-1' });
    expect(events).toHaveLength(1);
    expect(events[0]!.data.externalId).toBe('R-1');
    expect(await orders.countDocuments({ accountId, externalId: 'R-1' })).toBe(1);
    expect((await hub.streamMessages(Subjects.orderUpdated)).filter((m) => m.data.orderId === orderId)).toEqual([]);
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  it('issue 15: an event larger than the NATS max payload is parked with its reason and an alert metric; the later events of its order still go out', async () => {
    const orderId = randomUUID();
    const [bigId, nextId] = [randomUUID(), randomUUID()];
    const data = (extra: Record<string, unknown>) => ({
      orderId,
      connectionId: 'c1',
      channel: 'serverspot',
      externalId: 'HUGE-1',
      order: { id: orderId },
      ...extra,
    });
    // 5 000 tags of 300 characters: the whole list in the event is 1.5 MB, over NATS's 1 MB.
    const big = commandEnvelope(
      Subjects.orderTagsChanged,
      'acc-huge',
      data({ tags: Array.from({ length: 5000 }, (_, i) => `${i}`.padEnd(300, 'x')) }),
      bigId,
    );
    const next = commandEnvelope(Subjects.orderUpdated, 'acc-huge', data({}), nextId);
    const entry = (envelope: { eventId: string }, subject: string) => ({
      eventId: envelope.eventId,
      subject,
      payload: JSON.stringify(envelope),
      createdAt: new Date(),
    });
    await hub.db.collection('orders').insertOne({
      _id: orderId as never,
      accountId: 'acc-huge',
      connectionId: 'c1',
      channel: 'serverspot',
      externalId: 'HUGE-1',
      state: 3,
      orderedAt: new Date(),
      history: [],
      version: 1,
      outbox: [entry(big, Subjects.orderTagsChanged), entry(next, Subjects.orderUpdated)],
      outboxDirty: true,
      rev: 0,
    });
    const service = await startOrders(iso);
    running.push(service);
    await waitFor(async () => (await hub.db.collection('orders').findOne({ _id: orderId as never }))?.outboxDirty === false, {
      what: 'outbox drained past the oversized event',
      timeoutMs: 60_000,
    });
    expect((await hub.streamMessages(Subjects.orderUpdated)).filter((m) => m.eventId === nextId)).toHaveLength(1);
    const dlq = new DeadLetterQueue(hub.nats);
    const parked = (await dlq.list()).find((m) => m.data.includes(bigId));
    expect(parked?.subject).toBe(Subjects.orderTagsChanged);
    expect(parked?.reason).toMatch(/max_payload/);
    // The summary says whose and which order it was (the account's dead-letter list reads these).
    expect(JSON.parse(parked?.data ?? '{}')).toMatchObject({ accountId: 'acc-huge', eventId: bigId, data: { orderId } });
    await expect(dlq.replay(parked?.seq ?? 0)).rejects.toMatchObject({ problem: { status: 409 } });
    const metrics = await (await fetch(`${service.metricsUrl}/metrics`)).text();
    expect(metrics).toMatch(/orderhub_dead_lettered_messages_total\{[^}]*reason="unpublishable"[^}]*\} 1/);
    await Promise.all(running.splice(0).map((s) => s.stop()));
  }, 120_000);

  it('HUB-1/HUB-2: kill -9 during a stream of 200 imports, restart: exactly 200 orders and 200 distinct order.imported', async () => {
    const service = await startOrders(iso);
    running.push(service);
    // Imports go only into a connection of the command's account (HUB-16).
    const { accountId, connectionId } = await accountWithConnection('Crash GmbH');
    const publishing = (async () => {
      for (let i = 0; i < 200; i += 20) {
        await Promise.all(
          Array.from({ length: 20 }, (_, j) => hub.publishImport(accountId, connectionId, 'serverspot', channelOrder(`K-${i + j}`))),
        );
      }
    })();
    const orders = hub.db.collection('orders');
    await waitFor(async () => (await orders.countDocuments({ accountId })) >= 30, {
      what: 'some imports',
      intervalMs: 20,
    });
    await service.stop('SIGKILL');
    await publishing;
    await service.launch();
    await waitFor(async () => (await orders.countDocuments({ accountId })) === 200 || undefined, {
      what: '200 orders',
      timeoutMs: 150_000,
      intervalMs: 1_000,
    });
    // Every import command acknowledged (each only after its order's events went out), and no order
    // left with events in its outbox: nothing more will be published for these orders.
    await hub.consumerSettled(Subjects.channelOrderImport, Durables.ordersOrderImport, 60_000);
    await waitFor(async () => (await orders.countDocuments({ accountId, outboxDirty: true })) === 0 || undefined, {
      what: 'outboxes drained',
    });
    const events = (await hub.streamMessages(Subjects.orderImported)).filter((m) => m.data.connectionId === connectionId);
    expect(events).toHaveLength(200);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(200);
    expect(new Set(events.map((e) => e.data.externalId)).size).toBe(200);
  }, 200_000);
});
