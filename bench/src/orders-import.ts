/**
 * Import throughput of the orders service alone (issue: orders service and gateway):
 * N generated channel orders published as `channel.order.import` commands; measured from publish
 * to persisted (the order's createdAt) and to `order.imported` delivered; plus a ceiling measured in
 * the same run: raw JetStream publish + consume + MongoDB upsert of the same documents, no service.
 * BENCH_ORDERS (default 100000; `npm run bench` runs it with 2000), BENCH_IN_FLIGHT (default 256).
 * Then what each unit of work costs (database commands and publishes per order, by kind of work):
 * the import of new orders, a repeated import of unchanged orders, and tag changes over RPC.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Rpc, Subjects, type ChannelOrderImport } from '@orderhub/contracts';
import { ServiceProcess, withDatabase } from '@orderhub/testkit';
import { benchBackends, deployedNodeOptions, inParallel, rssOf } from './backends';
import { ceiling } from './ceiling';
import { cpuSecondsOf } from './e2e-process-stats';
import { generateChannelOrder } from './order-generator';
import { type CostPerUnit, costPerUnit, describeCost, metricValue, until, workCountsOf } from './work-cost';
import { MongoClient } from 'mongodb';
import { writeResults } from './results';
import { fmt, summarize } from './stats';

const N = Number(process.env.BENCH_ORDERS ?? 100_000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 256);
/** Orders imported a second time unchanged, and orders whose tags are changed over RPC, for their cost. */
const REPEATS = Math.min(N, 2000);
const TAG_CHANGES = Math.min(N, 500);

/**
 * `BENCH_CODE_PATH=mongodb` runs the orders service on MongoDB's code path against the test database
 * (`MONGO_CODE_PATH`), to count that path's commands where no MongoDB can be had; its speed figures
 * say nothing (FerretDB scans for MongoDB's multi-document filters). Results go to their own file.
 */
const MONGODB_PATH = process.env.BENCH_CODE_PATH === 'mongodb';
/** FerretDB reads every order for MongoDB's filters, so an RPC on that path may take long. */
const rpcTimeoutMs = MONGODB_PATH ? 120_000 : 10_000;
/** Distinct SKUs of `generateChannelOrder` (`SKU-0` … `SKU-499`). */
const GENERATED_SKUS = 500;

/**
 * Imports orders that name every generated SKU before the measured phases, so that article creation
 * is not counted as the cost of a new order: on MongoDB's path the bench runs too few orders for it
 * to amortise (on the test database's path, 100 000 orders make it 0.005 per order).
 */
async function warmUpArticles(
  timeoutMs: number,
  js: ReturnType<typeof jetstream>,
  prefix: string,
  accountId: string,
  connectionId: string,
  ordersUrl: string,
): Promise<void> {
  const imported = () => metricValue(ordersUrl, 'orderhub_orders_imports_total', { outcome: 'imported' });
  const before = await imported();
  for (let i = N; i < N + GENERATED_SKUS; i++) {
    const cmd: ChannelOrderImport = {
      eventId: randomUUID(),
      type: Subjects.channelOrderImport,
      version: 1,
      occurredAt: new Date().toISOString(),
      accountId,
      data: { connectionId, channel: 'jimdo', order: generateChannelOrder(i) },
    };
    await js.publish(`${prefix}.${Subjects.channelOrderImport}`, JSON.stringify(cmd), { msgID: cmd.eventId });
  }
  await until(async () => (await imported()) >= before + GENERATED_SKUS, timeoutMs * 5, 'the warm-up imports');
  await until(async () => (await metricValue(ordersUrl, 'orderhub_outbox_pending_documents')) === 0, timeoutMs * 5, 'the outbox to drain');
}

/** Round-trip budgets of issue 13 (database commands per unit of work, amortised). */
const BUDGET = {
  newOrder: { mongodb: 2, ferretdb: 3 },
  unchangedOrder: 1,
  apiChange: 2,
};

async function isFerretDb(mongoUrl: string): Promise<boolean> {
  const client = await MongoClient.connect(mongoUrl);
  try {
    return 'ferretdbVersion' in (await client.db().admin().command({ buildInfo: 1 }));
  } finally {
    await client.close();
  }
}

async function service(natsUrl: string, mongoUrl: string, ferret: boolean) {
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const orders = await ServiceProcess.start('services/orders', {
    ...deployedNodeOptions('orders'),
    // On FerretDB as in tests and `npm run dev` (docs/architecture.md): one connection to the one SQLite file.
    ...(ferret ? { MONGO_MAX_POOL_SIZE: '1' } : {}),
    ...(MONGODB_PATH ? { MONGO_CODE_PATH: 'mongodb' } : {}),
    MONGO_URL: withDatabase(mongoUrl, `${prefix}_db`),
    NATS_URL: natsUrl,
    NATS_PREFIX: prefix,
    SECRETS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    SECRETS_ACTIVE_KEY: 'k1',
    LOG_LEVEL: 'warn',
  });
  const nc = await connect({ servers: natsUrl });
  const js = jetstream(nc);
  const rpc = async <T>(subject: string, body: unknown): Promise<T> => {
    const reply = (await nc.request(`${prefix}.${subject}`, JSON.stringify(body), { timeout: rpcTimeoutMs })).json<{
      ok: boolean;
      data: T;
      problem?: unknown;
    }>();
    if (!reply.ok) throw new Error(`${subject}: ${JSON.stringify(reply.problem)}`);
    return reply.data;
  };
  const account = await rpc<{ accountId: string }>(Rpc.accountsCreate, { name: 'bench' });
  const connection = await rpc<{ id: string }>(Rpc.connectionsCreate, {
    accountId: account.accountId,
    actor: 'bench',
    body: { type: 'jimdo', settings: { name: 'bench shop', forwardTo: 'bench@example.test' }, secrets: {} },
  });

  if (MONGODB_PATH) await warmUpArticles(rpcTimeoutMs, js, prefix, account.accountId, connection.id, orders.url);

  const persistLatency: number[] = [];
  let lastPersistedAt = 0;
  const eventLatency: number[] = [];
  const publishedAt = new Map<string, number>();
  let imported = 0;
  let peakRss = 0;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, rssOf(orders.pid))), 250);
  const sub = nc.subscribe(`${prefix}.${Subjects.orderImported}`);
  const allImported = (async () => {
    for await (const m of sub) {
      const event = m.json<{ data: { externalId: string; order: { createdAt: string } } }>();
      const sent = publishedAt.get(event.data.externalId);
      if (sent !== undefined) {
        const persistedAt = Date.parse(event.data.order.createdAt);
        persistLatency.push(persistedAt - sent);
        lastPersistedAt = Math.max(lastPersistedAt, persistedAt);
        eventLatency.push(Date.now() - sent);
      }
      if (++imported >= N) break;
    }
  })();
  const idleRss = rssOf(orders.pid);
  const outboxDrained = () =>
    until(async () => (await metricValue(orders.url, 'orderhub_outbox_pending_documents')) === 0, 300_000, 'the outbox to drain');
  const beforeImport = await workCountsOf(orders.url);
  const importedBefore = await metricValue(orders.url, 'orderhub_orders_imports_total', { outcome: 'imported' });
  const batches = async () => ({
    messages: await metricValue(orders.url, 'orderhub_message_batch_size_sum', { subject: Subjects.channelOrderImport }),
    count: await metricValue(orders.url, 'orderhub_message_batch_size_count', { subject: Subjects.channelOrderImport }),
  });
  const batchesBefore = await batches();
  const started = Date.now();
  // A long run (100 000 orders) shows whether the rate holds as the collections grow.
  let lastImported = 0;
  const progressTimer = setInterval(() => {
    const rate = (imported - lastImported) / 30;
    lastImported = imported;
    process.stdout.write(
      `  ${Math.round((Date.now() - started) / 1000)} s: ${imported}/${N} imported, ${fmt(rate)} orders/s in the last 30 s\n`,
    );
  }, 30_000);
  const publishImports = (count: number) =>
    inParallel(
      Array.from({ length: count }, (_, i) => i),
      IN_FLIGHT,
      async (i) => {
        const order = generateChannelOrder(i);
        const cmd: ChannelOrderImport = {
          eventId: randomUUID(),
          type: Subjects.channelOrderImport,
          version: 1,
          occurredAt: new Date().toISOString(),
          accountId: account.accountId,
          data: { connectionId: connection.id, channel: 'jimdo', order },
        };
        publishedAt.set(order.externalId, Date.now());
        await js.publish(`${prefix}.${Subjects.channelOrderImport}`, JSON.stringify(cmd), { msgID: cmd.eventId });
      },
    );
  await publishImports(N);
  await allImported;
  const seconds = (Date.now() - started) / 1000;
  clearInterval(progressTimer);
  // A batch counts its orders after it lets go of their claims, which follows their events: the
  // phase ends there, or the last batch's release is charged to the next phase.
  await until(
    async () => (await metricValue(orders.url, 'orderhub_orders_imports_total', { outcome: 'imported' })) >= importedBefore + N,
    300_000,
    'the imports to be counted',
  );
  const cpu = cpuSecondsOf(orders.pid);
  await outboxDrained();
  const newOrderCost = costPerUnit(beforeImport, await workCountsOf(orders.url), N);
  const batchesAfter = await batches();
  const meanBatch = (batchesAfter.messages - batchesBefore.messages) / Math.max(1, batchesAfter.count - batchesBefore.count);

  // The same orders again, unchanged (a connector's overlap re-reads them): no write, no event.
  const beforeRepeat = await workCountsOf(orders.url);
  const unchangedBefore = await metricValue(orders.url, 'orderhub_orders_imports_total', { outcome: 'unchanged' });
  publishedAt.clear();
  await publishImports(REPEATS);
  await until(
    async () => (await metricValue(orders.url, 'orderhub_orders_imports_total', { outcome: 'unchanged' })) >= unchangedBefore + REPEATS,
    300_000,
    'the repeated imports',
  );
  const unchangedCost = costPerUnit(beforeRepeat, await workCountsOf(orders.url), REPEATS);

  // A state change from the API (a tag added), with its `order.tags-changed` event.
  const tagged = `${prefix}.${Subjects.orderTagsChanged}`;
  let tagEvents = 0;
  const tagSub = nc.subscribe(tagged, { callback: () => void (tagEvents += 1) });
  const beforeTags = await workCountsOf(orders.url);
  const orderIds = await Promise.all(
    Array.from({ length: TAG_CHANGES }, async (_, i) => {
      const found = await rpc<{ id: string }>(Rpc.ordersFindByExternalId, {
        accountId: account.accountId,
        actor: 'bench',
        body: { connectionId: connection.id, externalId: generateChannelOrder(i).externalId },
      });
      return found.id;
    }),
  );
  const afterLookups = await workCountsOf(orders.url);
  await inParallel(orderIds, 16, (orderId) =>
    rpc(Rpc.ordersChangeTags, { accountId: account.accountId, actor: 'bench', body: { orderId, add: ['bench'], remove: [] } }),
  );
  await until(async () => tagEvents >= TAG_CHANGES, 300_000, 'the tags-changed events');
  await outboxDrained();
  tagSub.unsubscribe();
  const lookupCost = costPerUnit(beforeTags, afterLookups, TAG_CHANGES);
  const tagCost = costPerUnit(afterLookups, await workCountsOf(orders.url), TAG_CHANGES);
  clearInterval(rssTimer);
  await orders.stop();
  await nc.close();
  return {
    meanImportBatch: meanBatch,
    cost: { newOrder: newOrderCost, unchangedOrder: unchangedCost, findByExternalId: lookupCost, tagChange: tagCost },
    ordersPerSecond: N / seconds,
    // The import alone (until the last order was written), without the outbox relay's publishing.
    persistedPerSecond: N / ((lastPersistedAt - started) / 1000),
    seconds,
    persistLatencyMs: summarize(persistLatency),
    eventLatencyMs: summarize(eventLatency),
    idleRssMB: idleRss / 2 ** 20,
    peakRssMB: peakRss / 2 ** 20,
    cpuSecondsPer1000: (cpu / N) * 1000,
  };
}

async function main() {
  const backends = await benchBackends();
  try {
    process.stdout.write(`orders-import: ${N} orders, ${IN_FLIGHT} in flight\n`);
    const ceil = await ceiling(backends.natsUrl, backends.mongoUrl, N, IN_FLIGHT);
    process.stdout.write(`ceiling: ${fmt(ceil.ordersPerSecond)} orders/s\n`);
    const ferret = await isFerretDb(backends.mongoUrl);
    const svc = await service(backends.natsUrl, backends.mongoUrl, ferret);
    const ratio = svc.ordersPerSecond / ceil.ordersPerSecond;
    const importRatio = svc.persistedPerSecond / ceil.ordersPerSecond;
    const newOrderBudget = ferret && !MONGODB_PATH ? BUDGET.newOrder.ferretdb : BUDGET.newOrder.mongodb;
    const database = !ferret ? 'MongoDB' : MONGODB_PATH ? "FerretDB, on MongoDB's code path (commands only)" : 'FerretDB (test database)';
    const verdict = (value: number, budget: number) => (value <= budget + 1e-9 ? `met (≤ ${budget})` : `MISSED (budget ${budget})`);
    const { newOrder, unchangedOrder, tagChange } = svc.cost;
    const apiChange = tagChange.databaseCommands.rpc;
    // The unit's own work: the relay's idle polls (periodic) and pings (other) run by the clock,
    // whatever is imported, and are shown beside it, not charged to it.
    const own = (c: CostPerUnit) => c.databaseCommandsTotal - c.databaseCommands.periodic - c.databaseCommands.other;
    const commands = (c: CostPerUnit) => describeCost(c.databaseCommands, c.databaseCommandsTotal);
    const publishes = (c: CostPerUnit) => describeCost(c.publishes, c.publishesTotal);
    writeResults(
      MONGODB_PATH ? 'orders-import-mongodb-path' : 'orders-import',
      { orders: N, database, ceiling: ceil, service: svc, ratio, importRatio },
      [
        ['orders', String(N)],
        ['service orders/s (publish → order.imported of all)', fmt(svc.ordersPerSecond)],
        ['… of which the import alone (publish → last order persisted)', fmt(svc.persistedPerSecond)],
        ['ceiling orders/s (raw JetStream + upsert)', fmt(ceil.ordersPerSecond)],
        ['ratio service / ceiling', fmt(ratio, 2)],
        ['ratio import alone / ceiling', fmt(importRatio, 2)],
        ['database', database],
        ['DB commands per new order (ceiling: 1 upsert)', commands(newOrder)],
        ['… budget for a new order incl. order.imported (its own phases)', verdict(own(newOrder), newOrderBudget)],
        ['NATS publishes per new order', publishes(newOrder)],
        ['import commands handed over per batch (mean)', fmt(svc.meanImportBatch, 1)],
        [`DB commands per unchanged repeated order (${REPEATS})`, commands(unchangedOrder)],
        ['… budget for an unchanged order (its own phases)', verdict(own(unchangedOrder), BUDGET.unchangedOrder)],
        [`DB commands per tag change over RPC (${TAG_CHANGES})`, commands(tagChange)],
        ['… budget for an API state change (rpc phase, plus the event)', verdict(apiChange, BUDGET.apiChange)],
        ['NATS publishes per tag change', publishes(tagChange)],
        ['publish → persisted p50 / p99 ms', `${fmt(svc.persistLatencyMs.p50, 0)} / ${fmt(svc.persistLatencyMs.p99, 0)}`],
        ['publish → order.imported p50 / p99 ms', `${fmt(svc.eventLatencyMs.p50, 0)} / ${fmt(svc.eventLatencyMs.p99, 0)}`],
        ['orders service RSS idle / peak MB', `${fmt(svc.idleRssMB)} / ${fmt(svc.peakRssMB)}`],
        ['CPU seconds per 1000 orders', fmt(svc.cpuSecondsPer1000, 2)],
      ],
    );
  } finally {
    await backends.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
