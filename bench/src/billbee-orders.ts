/**
 * `GET /orders` of the Billbee face with the published billbee-node-api client: pages of 250 at
 * BILLBEE_BENCH_ORDERS stored orders (default 100 000). BILLBEE_BENCH_IMPORTED orders (default 1 000)
 * go through the orders service as `channel.order.import` commands, as connectors send them; the rest
 * are copies of those documents written straight into the database (each with its own import key and
 * id), because the import path is measured by orders-import and would take most of an hour here; the
 * orders service is then restarted, and its start-up repair gives the copies their list entries.
 * Then BILLBEE_BENCH_REQUESTS (default 20) page requests run one after another over pages spread
 * across the list.
 */
import { createHash } from 'node:crypto';
import createBillbeeClient from 'billbee-node-api';
import { type Document, MongoClient } from 'mongodb';
import { billbeeIdFor, type BillbeeCredentialCreated, Rpc } from '@orderhub/contracts';
import { waitFor } from '@orderhub/testkit';
import { HubUnderBench } from './hub-under-bench';
import { writeResults } from './results';
import { fmt, summarize } from './stats';

const N = Number(process.env.BILLBEE_BENCH_ORDERS ?? 100_000);
const IMPORTED = Math.min(N, Number(process.env.BILLBEE_BENCH_IMPORTED ?? 1_000));
const REQUESTS = Number(process.env.BILLBEE_BENCH_REQUESTS ?? 20);
const PAGE_SIZE = 250;

async function main(): Promise<void> {
  const hub = await HubUnderBench.start({ BILLBEE_RATE_LIMIT_BURST: '100000', RPC_TIMEOUT_MS: '900000' });
  const mongo = await MongoClient.connect(hub.mongoUrl);
  const db = mongo.db(hub.databaseName);
  try {
    const account = await hub.account('billbee bench');
    const { accountId } = account;
    const ctx = { accountId, actor: 'bench' };
    const importStarted = Date.now();
    await hub.importOrders(account, IMPORTED);
    const importSeconds = (Date.now() - importStarted) / 1000;
    const seedStarted = Date.now();
    const copies = await copyOrders(db, accountId, N - IMPORTED);
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    if (IMPORTED + copies !== N) throw new Error(`expected ${N} stored orders, ${IMPORTED + copies} were written`);
    const repairStarted = Date.now();
    await hub.restartOrders();
    await waitFor(async () => (await hub.storedOrders(accountId)) === N, {
      what: `${N} orders listed`,
      timeoutMs: 2 * 3600_000,
      intervalMs: 5_000,
    });
    const repairSeconds = (Date.now() - repairStarted) / 1000;
    const login = await hub.rpc<BillbeeCredentialCreated>(Rpc.billbeeCredentialsCreate, {
      ...ctx,
      body: { username: 'bench@example.test' },
    });
    const client = createBillbeeClient({ apiKey: login.apiKey, user: login.username, pass: login.password });
    const base = `${hub.gateway.url}/billbee/api/v1`;
    const pages = Math.max(1, Math.ceil(N / PAGE_SIZE));
    const latencies: number[] = [];
    let rows = 0;
    const started = Date.now();
    for (let r = 0; r < REQUESTS; r++) {
      const page = 1 + Math.floor((r * pages) / REQUESTS);
      const t0 = performance.now();
      const body = (await client.get(`${base}/orders`, { page, pageSize: PAGE_SIZE }).catch((err: unknown) => {
        const answer = (err as { response?: { status?: number; data?: unknown } }).response;
        const logs = `--- gateway ---\n${hub.gateway.logs().slice(-2000)}\n--- orders ---\n${hub.orders.logs().slice(-2000)}`;
        throw new Error(
          `GET /orders page ${page}: ${answer?.status ?? 'no answer'} ${JSON.stringify(answer?.data ?? String(err))}\n${logs}`,
        );
      })) as { Data: unknown[] };
      latencies.push(performance.now() - t0);
      rows += body.Data.length;
    }
    const seconds = (Date.now() - started) / 1000;
    const s = summarize(latencies);
    writeResults(
      'billbee-orders',
      {
        orders: N,
        imported: IMPORTED,
        requests: REQUESTS,
        pageSize: PAGE_SIZE,
        latencyMs: s,
        ordersPerSecond: rows / seconds,
        importSeconds,
        seedSeconds,
        repairSeconds,
      },
      [
        ['stored orders', String(N)],
        ['requests (GET /orders, pageSize 250, billbee-node-api, one at a time)', String(REQUESTS)],
        ['p50 / p99 ms', `${fmt(s.p50)} / ${fmt(s.p99)}`],
        ['orders/s returned', fmt(rows / seconds)],
        [`import of ${IMPORTED} orders through the orders service (s, not part of the figure)`, fmt(importSeconds)],
        [`${N - IMPORTED} copies written straight to the database (s, not part of the figure)`, fmt(seedSeconds)],
        ['orders service restart until all are listed (list copies repaired; s, not part of the figure)', fmt(repairSeconds)],
      ],
    );
  } finally {
    await mongo.close();
    await hub.stop();
  }
}

/** The orders service's id rule (services/orders/src/domain/order-id.ts): the id follows from the import key. */
function orderIdFor(accountId: string, connectionId: string, externalId: string): string {
  return `ord_${createHash('sha256').update(`${accountId}\n${connectionId}\n${externalId}`).digest('base64url').slice(0, 22)}`;
}

/**
 * Copies of the account's imported orders until `count` more exist: same content, a new channel
 * order id (so a new import key and id), an order date moved back by the copy's round, no pending
 * outbox, and the Billbee number the orders service would have remembered for it.
 */
async function copyOrders(db: ReturnType<MongoClient['db']>, accountId: string, count: number): Promise<number> {
  let inserted = 0;
  const originals = await db.collection('orders').find({ accountId }).toArray();
  const orders = db.collection<{ _id: string } & Document>('orders');
  const billbeeIds = db.collection<{ _id: number; orderId: string; accountId: string }>('billbee_order_ids');
  const BATCH = 1_000;
  for (let done = 0; done < count;) {
    const docs: ({ _id: string } & Document)[] = [];
    for (; docs.length < BATCH && done < count; done++) {
      const original = originals[done % originals.length]!;
      const round = 1 + Math.floor(done / originals.length);
      const externalId = `${String(original.externalId)}-copy${round}`;
      docs.push({
        ...original,
        _id: orderIdFor(accountId, String(original.connectionId), externalId),
        externalId,
        orderedAt: new Date((original.orderedAt as Date).getTime() - round * 60_000),
        outbox: [],
        outboxDirty: false,
      });
    }
    inserted += (await orders.insertMany(docs, { ordered: false })).insertedCount;
    await billbeeIds.insertMany(
      docs.map((d) => ({ _id: billbeeIdFor('order', String(d._id)), orderId: d._id, accountId })),
      { ordered: false },
    );
  }
  return inserted;
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(1);
});
