/**
 * Import throughput of the orders service alone (issue: orders service and gateway):
 * N generated channel orders published as `channel.order.import` commands; measured from publish
 * to persisted (the order's createdAt) and to `order.imported` delivered; plus a ceiling measured in
 * the same run: raw JetStream publish + consume + MongoDB upsert of the same documents, no service.
 * BENCH_ORDERS (default 100000; `npm run bench` runs it with 2000), BENCH_IN_FLIGHT (default 256).
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
import { writeResults } from './results';
import { fmt, summarize } from './stats';

const N = Number(process.env.BENCH_ORDERS ?? 100_000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 256);

async function service(natsUrl: string, mongoUrl: string) {
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const orders = await ServiceProcess.start('services/orders', {
    ...deployedNodeOptions('orders'),
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
    const reply = (await nc.request(`${prefix}.${subject}`, JSON.stringify(body), { timeout: 10_000 })).json<{
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
  await inParallel(
    Array.from({ length: N }, (_, i) => i),
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
  await allImported;
  const seconds = (Date.now() - started) / 1000;
  clearInterval(rssTimer);
  clearInterval(progressTimer);
  const cpu = cpuSecondsOf(orders.pid);
  await orders.stop();
  await nc.close();
  return {
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
    const svc = await service(backends.natsUrl, backends.mongoUrl);
    const ratio = svc.ordersPerSecond / ceil.ordersPerSecond;
    writeResults('orders-import', { orders: N, ceiling: ceil, service: svc, ratio }, [
      ['orders', String(N)],
      ['service orders/s (publish → order.imported of all)', fmt(svc.ordersPerSecond)],
      ['… of which the import alone (publish → last order persisted)', fmt(svc.persistedPerSecond)],
      ['ceiling orders/s (raw JetStream + upsert)', fmt(ceil.ordersPerSecond)],
      ['ratio service / ceiling', fmt(ratio, 2)],
      ['publish → persisted p50 / p99 ms', `${fmt(svc.persistLatencyMs.p50, 0)} / ${fmt(svc.persistLatencyMs.p99, 0)}`],
      ['publish → order.imported p50 / p99 ms', `${fmt(svc.eventLatencyMs.p50, 0)} / ${fmt(svc.eventLatencyMs.p99, 0)}`],
      ['orders service RSS idle / peak MB', `${fmt(svc.idleRssMB)} / ${fmt(svc.peakRssMB)}`],
      ['CPU seconds per 1000 orders', fmt(svc.cpuSecondsPer1000, 2)],
    ]);
  } finally {
    await backends.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
