import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type AccountCreated, type ConnectionView, Rpc, Subjects } from '@orderhub/contracts';
import { type LocalServer, RunningSystem, spawnFerretDb, spawnNatsServer, waitFor } from '@orderhub/testkit';
import { MongoClient } from 'mongodb';
import { generateChannelOrder } from '../../bench/src/order-generator';
import { ACTOR, dlqCli, ordersOf, parseDlqList, sleep } from './support';

/**
 * The database restarted (SIGTERM: it closes every connection at once) eight times under import load.
 * This used to wedge the MongoDB driver about once in twelve restarts: an operation or the server
 * monitor waited forever on a destroyed socket (libs/platform/src/mongo/driver-write-guard.ts).
 */
describe('reliability: the orders service survives database restarts under import load', () => {
  let nats: LocalServer;
  let db: LocalServer;
  let system: RunningSystem;

  beforeAll(async () => {
    [nats, db] = await Promise.all([spawnNatsServer(), spawnFerretDb()]);
    system = await RunningSystem.start('dbrestart', {
      backends: { natsUrl: nats.url, mongoUrl: db.url },
      services: ['orders'],
      simulators: [],
      env: { orders: { OUTBOX_POLL_MS: '100', OUTBOX_LEASE_MS: '1000' } },
    });
  }, 60_000);

  afterAll(async () => {
    await system?.stop();
    await Promise.allSettled([nats?.destroy(), db?.destroy()]);
  });

  it('answers again within 30 s after each of 8 database restarts, and every order handed in meanwhile is there once', async () => {
    const { accountId } = await system.rpc.call<AccountCreated>(Rpc.accountsCreate, { name: 'DB restart GmbH' });
    const connection = await system.rpc.call<ConnectionView>(Rpc.connectionsCreate, {
      accountId,
      actor: ACTOR,
      body: { type: 'jimdo', settings: { name: 'Jimdo', forwardTo: 'm@shop.example' }, secrets: {} },
    });
    const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1 });
    const js = jetstream(nc);
    let sent = 0;
    let stop = false;
    const load = (async () => {
      while (!stop) {
        const order = { ...generateChannelOrder(sent), externalId: `db-${sent}` };
        const eventId = `import:${connection.id}:${order.externalId}`;
        const cmd = {
          eventId,
          type: Subjects.channelOrderImport,
          version: 1,
          occurredAt: new Date().toISOString(),
          accountId,
          data: { connectionId: connection.id, channel: 'jimdo', order },
        };
        await js.publish(`${system.iso.natsPrefix}.${Subjects.channelOrderImport}`, JSON.stringify(cmd), { msgID: eventId });
        sent += 1;
        await sleep(40);
      }
    })();
    try {
      for (let round = 1; round <= 8; round++) {
        await sleep(2_500);
        await db.restart();
        const restartedAt = Date.now();
        const recovered = await waitFor(
          () => system.rpc.call(Rpc.ordersList, { accountId, actor: ACTOR, body: { limit: 1 } }, 3_000).then(() => true),
          {
            timeoutMs: 30_000,
            intervalMs: 1_000,
            what: `orders service answering after database restart ${round}`,
          },
        ).catch(async (err: Error) => {
          const fresh = new MongoClient(db.url, { serverSelectionTimeoutMS: 3_000 });
          const direct = await fresh
            .connect()
            .then(() => fresh.db().admin().ping())
            .then(
              () => 'a fresh client reaches the database',
              (e: Error) => `a fresh client fails too: ${e.message}`,
            );
          await fresh.close().catch(() => undefined);
          const ready = await fetch(`${system.service('orders').url}/health/ready`).then((r) => r.status);
          throw new Error(`${err.message}; ${direct}; /health/ready ${ready}`);
        });
        expect(recovered).toBe(true);
        process.stderr.write(`database restart ${round}: answering again after ${Date.now() - restartedAt} ms\n`);
      }
    } finally {
      stop = true;
      await load;
      await nc.close();
    }
    const expected = Array.from({ length: sent }, (_, i) => `db-${i}`);
    let seen = 0;
    const all = await waitFor(
      async () => {
        const list = await ordersOf(system, accountId, connection.id);
        seen = list.length;
        return list.length >= sent ? list : undefined;
      },
      { timeoutMs: 240_000, intervalMs: 1_000, what: `${sent} orders` },
    ).catch(async (err: Error) => {
      const diag = await connect({ servers: nats.url });
      const jsm = await jetstreamManager(diag);
      const streams = await jsm.streams.list().next();
      const consumer = (await jsm.consumers.list(`${system.iso.natsPrefix}_CHANNEL`).next()).map((c) => ({
        name: c.name,
        pending: c.num_pending,
        ackPending: c.num_ack_pending,
        redelivered: c.num_redelivered,
        waiting: c.num_waiting,
        delivered: c.delivered,
        ackFloor: c.ack_floor,
      }));
      await diag.close();
      const parked = parseDlqList((await dlqCli(nats.url, system.iso.natsPrefix, ['list'])).stdout).map((p) => p.reason);
      const direct = new MongoClient(db.url);
      const inDb = await direct.db(system.iso.dbName).collection('orders').countDocuments({ connectionId: connection.id });
      await direct.close();
      const logs = system
        .service('orders')
        .logs()
        .split('\n')
        .filter((l) => /"level":(40|50)/.test(l))
        .slice(-15)
        .join('\n');
      throw new Error(
        `${err.message} (${seen} listed, ${inDb} in the database)\nstreams ${JSON.stringify(streams.map((x) => [x.config.name, x.state.messages]))}\nparked ${JSON.stringify(parked)}\nconsumer ${JSON.stringify(consumer)}\n${logs}`,
      );
    });
    expect(all.map((o) => o.externalId).sort()).toEqual(expected.sort());
  }, 540_000);
});
