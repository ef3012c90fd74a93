import { preferredReplica } from '@orderhub/connector-kit';
import { EventProbe, isolate, ServiceProcess, waitFor } from '@orderhub/testkit';
import { handedIn, Hub, OttoSim, sleep, startConnector, startOrders } from './support';

/**
 * Import under stress: a crash in the middle of a large import, two replicas, a rate-limit burst,
 * a 5xx phase and expired tokens. The measure is always the same: every OTTO order exactly once in the hub.
 */
describe('OTTO import reliability', () => {
  const iso = isolate('ottorel');
  let sim: OttoSim;
  let orders: ServiceProcess;
  let connectors: ServiceProcess[] = [];
  let hub: Hub;
  let imported: EventProbe;

  const importedFor = (connectionId: string) => {
    const events = imported.received.filter((r) => (r.data as { data?: { connectionId?: string } }).data?.connectionId === connectionId);
    return {
      events: events.length,
      eventIds: new Set(events.map((e) => (e.data as { eventId: string }).eventId)).size,
      externalIds: new Set(events.map((e) => (e.data as { data: { externalId: string } }).data.externalId)).size,
    };
  };

  beforeAll(async () => {
    sim = await OttoSim.start();
    [orders, imported] = await Promise.all([startOrders(iso), EventProbe.start(iso.natsUrl, `${iso.natsPrefix}.order.imported`)]);
    hub = await Hub.connect(iso);
  });

  afterAll(async () => {
    await Promise.allSettled(connectors.map((c) => c.stop()));
    await orders?.stop();
    await imported?.close();
    await hub?.close();
    await sim?.close();
  });

  it('imports 1 000 orders over several pages exactly once, across a SIGKILL of the connector in the middle', async () => {
    const seller = sim.seller('otto-big', 20);
    await sim.generate(seller.partnerId, 1000);
    const accountId = await hub.account('big merchant');
    // Slow pages a little so the kill lands in the middle of the run.
    sim.sim.faults.set({ pathPrefix: '/v4/orders', latencyMs: 400 });
    const connector = await startConnector(iso, { REPLICA_ID: 'crashing' });
    connectors.push(connector);
    const connectionId = await hub.ottoConnection(accountId, sim.url, seller, { pollIntervalSeconds: 5 });

    const atKill = await waitFor(
      async () => {
        const cp = await hub.checkpoint('otto', connectionId);
        return cp?.run && cp.run.pages >= 3 ? cp : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 50, what: 'three pages imported' },
    );
    await connector.stop('SIGKILL');
    expect(atKill.run.cursor).toBeDefined(); // mid-run: resumed from here
    const before = importedFor(connectionId).externalIds;
    expect(before).toBeLessThan(1000);

    sim.sim.faults.clear();
    await connector.launch();
    // The connector's side: every order handed in exactly once (JetStream drops a re-sent page by event id).
    const stream = await waitFor(
      async () => {
        const h = await handedIn(hub, connectionId);
        return h.externalIds >= 1000 ? h : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1_000, what: '1000 orders handed in' },
    );
    await sleep(6_000); // another poll (interval 5 s) re-reads the overlap: must not add anything
    expect(stream.externalIds).toBe(1000);
    expect((await handedIn(hub, connectionId)).messages).toBe(1000);
    expect((await hub.checkpoint('otto', connectionId)).run).toBeUndefined();

    // The hub's side: 1000 orders, one order.imported each (the orders service may take a while on a busy machine).
    const all = await waitFor(
      async () => {
        const list = await hub.listOrders(accountId, connectionId);
        return list.length >= 1000 ? list : undefined;
      },
      { timeoutMs: 240_000, intervalMs: 3_000, what: '1000 orders in the hub' },
    );
    // The outbox relay publishes behind the import on FerretDB: give it the same patience as the import.
    await waitFor(() => importedFor(connectionId).externalIds >= 1000 || undefined, {
      timeoutMs: 240_000,
      intervalMs: 1_000,
      what: 'all order.imported events',
    });
    expect(all).toHaveLength(1000);
    expect(new Set(all.map((o) => o.externalId)).size).toBe(1000);
    const counted = importedFor(connectionId);
    expect(counted.externalIds).toBe(1000);
    expect(counted.eventIds).toBe(1000);
  }, 600_000);

  it('never lets two connector replicas poll the same connection', async () => {
    await Promise.allSettled(connectors.map((c) => c.stop()));
    connectors = await Promise.all([startConnector(iso, { REPLICA_ID: 'replica-a' }), startConnector(iso, { REPLICA_ID: 'replica-b' })]);
    const accountId = await hub.account('lease merchant');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push(await hub.ottoConnection(accountId, sim.url, sim.seller(`otto-lease-${i}`, 1), { pollIntervalSeconds: 5 }));

    const seen = new Map<string, Set<string>>();
    const deadline = Date.now() + 8_000;
    while (Date.now() < deadline) {
      const held = await Promise.all(
        connectors.map(
          async (c) => (await (await fetch(`${c.url}/connector/leases`)).json()) as { replica: string; connections: string[] },
        ),
      );
      const [a, b] = held.map((h) => new Set(h.connections.filter((id) => ids.includes(id))));
      const both = [...a!].filter((id) => b!.has(id));
      expect(both).toEqual([]);
      for (const h of held) for (const id of h.connections) (seen.get(id) ?? seen.set(id, new Set()).get(id)!).add(h.replica);
      await sleep(200);
    }
    // Every connection is polled, by the replica rendezvous hashing prefers for it. (Which replica that
    // is depends on the random connection ids, so the test computes it rather than expecting a split.)
    const expected = Object.fromEntries(
      ['replica-a', 'replica-b'].map((r) => [r, ids.filter((id) => preferredReplica(id, ['replica-a', 'replica-b']) === r).sort()]),
    );
    await waitFor(
      async () => {
        const held = await Promise.all(
          connectors.map(
            async (c) => (await (await fetch(`${c.url}/connector/leases`)).json()) as { replica: string; connections: string[] },
          ),
        );
        const actual = Object.fromEntries(held.map((h) => [h.replica, h.connections.filter((id) => ids.includes(id)).sort()]));
        return JSON.stringify(actual) === JSON.stringify(expected) || undefined;
      },
      { timeoutMs: 30_000, what: `connections held as rendezvous hashing prefers: ${JSON.stringify(expected)}` },
    );
  });

  it('a 429 burst and a 5xx phase slow the import down but lose nothing', async () => {
    const seller = sim.seller('otto-faulty', 5);
    const accountId = await hub.account('faulty merchant');
    const connectionId = await hub.ottoConnection(accountId, sim.url, seller, { pollIntervalSeconds: 5 });
    await waitFor(async () => (await hub.checkpoint('otto', connectionId)) !== undefined, { what: 'first poll' });

    const getsBefore = sim.calls('GET /v4/orders');
    sim.sim.faults.set({ pathPrefix: '/v4/orders', failNext: 6, errorStatus: 429 });
    await sim.generate(seller.partnerId, 150);
    await waitFor(() => sim.sim.faults.current().failNext === 0 || undefined, { timeoutMs: 30_000, what: '429 burst served' });
    sim.sim.faults.set({ pathPrefix: '/v4/orders', failNext: 6, errorStatus: 503 });
    await sim.generate(seller.partnerId, 100);
    await waitFor(() => sim.sim.faults.current().failNext === 0 || undefined, { timeoutMs: 30_000, what: '5xx phase served' });
    sim.sim.faults.clear();

    const stream = await waitFor(
      async () => {
        const h = await handedIn(hub, connectionId);
        return h.externalIds >= 250 ? h : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1_000, what: '250 orders handed in despite the faults' },
    );
    expect(stream).toEqual({ messages: 250, externalIds: 250 });
    const all = await waitFor(
      async () => {
        const list = await hub.listOrders(accountId, connectionId);
        return list.length >= 250 ? list : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 2_000, what: '250 orders in the hub' },
    );
    expect(new Set(all.map((o) => o.externalId)).size).toBe(250);
    expect(sim.calls('GET /v4/orders') - getsBefore).toBeGreaterThan(12);
  }, 240_000);

  it('fetches a new token once when OTTO answers 401 on a cached one, and goes on importing', async () => {
    const seller = sim.seller('otto-token', 1);
    const accountId = await hub.account('token merchant');
    const connectionId = await hub.ottoConnection(accountId, sim.url, seller, { pollIntervalSeconds: 3600 });
    await waitFor(async () => (await hub.checkpoint('otto', connectionId)) !== undefined, { what: 'first poll' });
    const tokensBefore = sim.calls('POST /v1/token');
    await sim.admin('POST', '/tokens/expire');
    const [order] = await sim.generate(seller.partnerId, 1);
    await hub.call('rpc.connector.otto.trigger', { type: 'otto', connectionId });
    await hub.waitOrder(accountId, connectionId, order.salesOrderId, undefined, 60_000);
    const fetched = sim.calls('POST /v1/token') - tokensBefore;
    expect(fetched).toBeGreaterThanOrEqual(1);
    // at most one new token per connection that polled meanwhile (this one plus the ones of earlier tests)
    expect(fetched).toBeLessThanOrEqual(8);
  }, 120_000);
});
