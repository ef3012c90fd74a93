/**
 * `GET /orders` of the Billbee face with the published billbee-node-api client: pages of 250 at
 * BILLBEE_BENCH_ORDERS stored orders (default 100000; the import through the orders service runs at
 * ~50–70 orders/s on FerretDB, so a smaller count is what fits a short run: the result names it).
 * Orders are imported as `channel.order.import` commands (as connectors do), then BILLBEE_BENCH_REQUESTS
 * (default 40) page requests run one after another over pages spread across the list.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import createBillbeeClient from 'billbee-node-api';
import { type BillbeeCredentialCreated, type ChannelOrderImport, Rpc, Subjects } from '@orderhub/contracts';
import { ServiceProcess, waitFor, withDatabase } from '@orderhub/testkit';
import { benchBackends, deployedNodeOptions, inParallel } from './backends';
import { generateChannelOrder } from './order-generator';
import { writeResults } from './results';
import { fmt, summarize } from './stats';

const N = Number(process.env.BILLBEE_BENCH_ORDERS ?? 100_000);
const REQUESTS = Number(process.env.BILLBEE_BENCH_REQUESTS ?? 40);
const PAGE_SIZE = 250;

async function main(): Promise<void> {
  const backends = await benchBackends();
  const prefix = `bbbench${randomBytes(3).toString('hex')}`;
  const common = {
    NATS_URL: backends.natsUrl,
    NATS_PREFIX: prefix,
    SECRETS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    SECRETS_ACTIVE_KEY: 'k1',
    LOG_LEVEL: 'warn',
  };
  const orders = await ServiceProcess.start('services/orders', {
    ...deployedNodeOptions('orders'),
    ...common,
    MONGO_URL: withDatabase(backends.mongoUrl, `${prefix}_db`),
  });
  const gateway = await ServiceProcess.start('services/gateway', {
    ...deployedNodeOptions('gateway'),
    ...common,
    BILLBEE_RATE_LIMIT_BURST: '100000',
    RPC_TIMEOUT_MS: '120000',
  });
  const nc = await connect({ servers: backends.natsUrl });
  const js = jetstream(nc);
  const rpc = async <T>(subject: string, body: unknown): Promise<T> => {
    const reply = (await nc.request(`${prefix}.${subject}`, JSON.stringify(body), { timeout: 120_000 })).json<{
      ok: boolean;
      data: T;
      problem?: unknown;
    }>();
    if (!reply.ok) throw new Error(`${subject}: ${JSON.stringify(reply.problem)}`);
    return reply.data;
  };
  try {
    const { accountId } = await rpc<{ accountId: string }>(Rpc.accountsCreate, { name: 'billbee bench' });
    const ctx = { accountId, actor: 'bench' };
    const connection = await rpc<{ id: string }>(Rpc.connectionsCreate, {
      ...ctx,
      body: { type: 'jimdo', settings: { name: 'bench shop', forwardTo: 'bench@example.test' }, secrets: {} },
    });
    const importStarted = Date.now();
    await inParallel(
      Array.from({ length: N }, (_, i) => i),
      256,
      async (i) => {
        const cmd: ChannelOrderImport = {
          eventId: randomUUID(),
          type: Subjects.channelOrderImport,
          version: 1,
          occurredAt: new Date().toISOString(),
          accountId,
          data: { connectionId: connection.id, channel: 'jimdo', order: generateChannelOrder(i) },
        };
        await js.publish(`${prefix}.${Subjects.channelOrderImport}`, JSON.stringify(cmd), { msgID: cmd.eventId });
      },
    );
    await waitFor(async () => (await rpc<{ totalRows: number }>(Rpc.ordersPage, { ...ctx, body: { pageSize: 1 } })).totalRows >= N, {
      what: `${N} orders stored`,
      timeoutMs: 4 * 3600_000,
      intervalMs: 5_000,
    });
    const importSeconds = (Date.now() - importStarted) / 1000;
    const login = await rpc<BillbeeCredentialCreated>(Rpc.billbeeCredentialsCreate, { ...ctx, body: { username: 'bench@example.test' } });
    const client = createBillbeeClient({ apiKey: login.apiKey, user: login.username, pass: login.password });
    const base = `${gateway.url}/billbee/api/v1`;
    const pages = Math.max(1, Math.ceil(N / PAGE_SIZE));
    const latencies: number[] = [];
    let rows = 0;
    const started = Date.now();
    for (let r = 0; r < REQUESTS; r++) {
      const page = 1 + Math.floor((r * pages) / REQUESTS);
      const t0 = performance.now();
      const body = (await client.get(`${base}/orders`, { page, pageSize: PAGE_SIZE })) as { Data: unknown[] };
      latencies.push(performance.now() - t0);
      rows += body.Data.length;
    }
    const seconds = (Date.now() - started) / 1000;
    const s = summarize(latencies);
    writeResults(
      'billbee-orders',
      { orders: N, requests: REQUESTS, pageSize: PAGE_SIZE, latencyMs: s, ordersPerSecond: rows / seconds, importSeconds },
      [
        ['stored orders', String(N)],
        ['requests (GET /orders, pageSize 250, billbee-node-api, one at a time)', String(REQUESTS)],
        ['p50 / p99 ms', `${fmt(s.p50)} / ${fmt(s.p99)}`],
        ['orders/s returned', fmt(rows / seconds)],
        ['import of the orders (s, not part of the figure)', fmt(importSeconds)],
      ],
    );
  } finally {
    await nc.close();
    await gateway.stop();
    await orders.stop();
    await backends.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(1);
});
