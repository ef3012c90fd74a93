/**
 * Issue 15's reliability cases, after the soak of `npm run reliability` (or alone: npm run
 * reliability:cases -w bench). The orders service, channel-serverspot and the custom-shop simulator
 * on private backends:
 *
 * - "write-back while the shop answers 401 for 2 minutes": the shop's key is rotated, CASES_ORDERS
 *   orders are shipped, the shop refuses every call for CASES_AUTH_SECONDS (120), then takes the key
 *   again. Every SetOrderState 4 must reach the shop exactly once, and the write-back consumer must
 *   end with nothing pending.
 * - "an order with 5 000 tags": 5 000 tags are asked for, once in one request and then in requests
 *   of 100; what the API accepts stays within OrderLimits, every event stays far below NATS's 1 MiB,
 *   and the order's shipment afterwards still goes out (no event of the order stuck behind another).
 *
 * Results: the `cases` section of bench/results/reliability.md; exit code 1 when a case fails.
 */
import { type AccountCreated, type ConnectionView, type Order, OrderLimits, Rpc, Subjects } from '@orderhub/contracts';
import { HubClient, RunningSystem, waitFor } from '@orderhub/testkit';
import { benchBackends } from './backends';
import { hubCall, ordersOfConnection, RELIABILITY_ACTOR as ACTOR, simAdmin } from './reliability-support';
import { replaceReliabilitySection } from './reliability-sections';
import { fmt } from './stats';

const ORDERS = Number(process.env.CASES_ORDERS ?? 20);
const AUTH_SECONDS = Number(process.env.CASES_AUTH_SECONDS ?? 120);
const TAGS = 5_000;
const NATS_MAX_PAYLOAD = 1024 * 1024;
const SHIPPED = 4;

const log = (s: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] reliability-cases: ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface StateChange {
  orderId: string;
  newStateTypeId: number;
}

async function main(): Promise<number> {
  const backends = await benchBackends();
  const system = await RunningSystem.start('cases', {
    backends: { natsUrl: backends.natsUrl, mongoUrl: backends.mongoUrl },
    services: ['orders', 'channel-serverspot'],
    simulators: ['custom-shop'],
    env: {
      orders: { OUTBOX_POLL_MS: '100', OUTBOX_LEASE_MS: '1000', LOG_LEVEL: 'warn' },
      'channel-serverspot': {
        POLL_TICK_MS: '200',
        CONNECTION_REFRESH_MS: '1000',
        LEASE_TTL_MS: '3000',
        REPLICA_ID: 'ssp-cases',
        SERVERSPOT_PERSIST_WAIT_MS: '3000',
        LOG_LEVEL: 'warn',
      },
    },
  });
  const hub = await HubClient.connect(system.iso, { actor: ACTOR, timeoutMs: 15_000 });
  try {
    const rows: [string, string][] = [];
    const a = await authCase(system, hub);
    rows.push(...a.rows);
    const b = await tagsCase(system, hub);
    rows.push(...b.rows);
    const ok = a.ok && b.ok;
    rows.unshift(['verdict', ok ? 'PASS: 0 write-backs lost, none duplicated, no event stuck' : 'FAIL']);
    replaceReliabilitySection('cases', 'Issue 15 cases: write-back during 401s, an order with 5 000 tags', rows);
    process.stdout.write(`\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`);
    return ok ? 0 : 1;
  } finally {
    await hub.close().catch(() => undefined);
    await system.stop();
    await backends.stop();
  }
}

async function shopSetup(system: RunningSystem, shopId: string, orders: number) {
  const shopUrl = system.simulator('custom-shop').url;
  const accountId = (await hubCall<AccountCreated>(system, Rpc.accountsCreate, { name: `Cases ${shopId}` })).accountId;
  await simAdmin(shopUrl, 'POST', '/shops', { shopId, key: `${shopId}-key`, orders, products: 5 });
  const connection = await hubCall<ConnectionView>(
    system,
    Rpc.connectionsCreate,
    {
      accountId,
      actor: ACTOR,
      body: {
        type: 'serverspot',
        settings: { name: shopId, apiUrl: `${shopUrl}/shops/${shopId}/api`, pollIntervalSeconds: 5 },
        secrets: { shopKey: `${shopId}-key` },
        verify: false,
      },
    },
    { retry: false },
  );
  const imported = await waitFor(
    async () => {
      const all = await ordersOfConnection(system, accountId, connection.id);
      return all.length >= orders ? all : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 1_000, what: `${orders} orders of ${shopId} imported` },
  );
  const received = async (): Promise<StateChange[]> =>
    (await simAdmin<{ stateChanges: StateChange[] }>(shopUrl, 'GET', `/shops/${shopId}/received`)).stateChanges;
  return { shopUrl, accountId, connectionId: connection.id, orders: imported, received };
}

async function ship(system: RunningSystem, accountId: string, order: Order, tracking: string): Promise<void> {
  const call = (subject: string, body: unknown) => hubCall(system, subject, { accountId, actor: ACTOR, body }, { retry: false });
  await call(Rpc.ordersAddShipment, { orderId: order.id, carrier: 'DHL', trackingNumber: tracking });
  await call(Rpc.ordersChangeState, { orderId: order.id, state: SHIPPED });
}

const setShipped = (h: { action: string; outcome: string; actor: string }) =>
  h.actor.startsWith('connector:') && /SetOrderState 4/.test(h.action);

async function authCase(system: RunningSystem, hub: HubClient): Promise<{ ok: boolean; rows: [string, string][] }> {
  const shopId = 'cases-auth';
  const s = await shopSetup(system, shopId, ORDERS);
  log(`${s.orders.length} orders imported; the shop refuses the key for ${AUTH_SECONDS} s`);
  await simAdmin(s.shopUrl, 'PATCH', `/shops/${shopId}`, { key: `${shopId}-rotated` });
  const refusedFrom = Date.now();
  for (const order of s.orders) await ship(system, s.accountId, order, `AUTH-${order.externalId}`);
  const waiting = await waitFor(
    async () => {
      let n = 0;
      for (const o of s.orders) if ((await hub.history(s.accountId, o.id)).some((h) => setShipped(h) && h.outcome === 'waiting')) n += 1;
      return n === s.orders.length ? n : undefined;
    },
    { timeoutMs: AUTH_SECONDS * 1000, intervalMs: 2_000, what: 'every write-back shown as waiting' },
  ).catch(() => -1);
  const refusedLeft = AUTH_SECONDS * 1000 - (Date.now() - refusedFrom);
  if (refusedLeft > 0) await sleep(refusedLeft);
  const failedDuringRefusal = await countOutcome(hub, s.accountId, s.orders, 'failed');
  const duringRefusal = (await s.received()).filter((c) => c.newStateTypeId === SHIPPED).length;
  await simAdmin(s.shopUrl, 'PATCH', `/shops/${shopId}`, { key: `${shopId}-key` });
  const restoredAt = Date.now();
  log('the shop takes the key again; waiting for every write-back');
  const done = await waitFor(async () => ((await countOutcome(hub, s.accountId, s.orders, 'ok')) === s.orders.length ? true : undefined), {
    timeoutMs: 600_000,
    intervalMs: 2_000,
    what: 'every write-back done',
  }).catch(() => false);
  const allOutSeconds = (Date.now() - restoredAt) / 1000;
  const settled = await hub
    .consumerSettled(Subjects.orderShipped, 'channel-serverspot_order_shipped', 60_000)
    .then(() => true)
    .catch(() => false);
  const writes = (await s.received()).filter((c) => c.newStateTypeId === SHIPPED);
  const perOrder = new Map<string, number>();
  for (const w of writes) perOrder.set(w.orderId, (perOrder.get(w.orderId) ?? 0) + 1);
  const lost = s.orders.filter((o) => !perOrder.has(o.externalId)).length;
  const duplicated = [...perOrder.values()].filter((n) => n > 1).length;
  const ok = done && settled && lost === 0 && duplicated === 0 && duringRefusal === 0 && failedDuringRefusal === 0;
  return {
    ok,
    rows: [
      [
        'write-back while the shop answers 401 for 2 minutes',
        `${ok ? 'PASS' : 'FAIL'}: ${s.orders.length} orders shipped during ${AUTH_SECONDS} s of 401; ${waiting < 0 ? 'not all' : waiting} shown "waiting", ${failedDuringRefusal} recorded failed, ${duringRefusal} reached the shop meanwhile`,
      ],
      [
        '… after the key works again',
        `${writes.length} SetOrderState 4 at the shop for ${s.orders.length} orders: ${lost} lost, ${duplicated} duplicated; all out ${fmt(allOutSeconds, 0)} s after the shop took the key (backoff: 1, 3, 10, 30, 60, 120, 300 s); write-back consumer settled: ${settled ? 'yes' : 'NO'}`,
      ],
    ],
  };
}

async function countOutcome(hub: HubClient, accountId: string, orders: Order[], outcome: string): Promise<number> {
  let n = 0;
  for (const o of orders) if ((await hub.history(accountId, o.id)).some((h) => setShipped(h) && h.outcome === outcome)) n += 1;
  return n;
}

async function tagsCase(system: RunningSystem, hub: HubClient): Promise<{ ok: boolean; rows: [string, string][] }> {
  const s = await shopSetup(system, 'cases-tags', 1);
  const order = s.orders[0]!;
  const tags = Array.from({ length: TAGS }, (_, i) => `tag-${String(i).padStart(4, '0')}-${'x'.repeat(80)}`);
  const statusOf = (err: unknown) => (err as { problem?: { status?: number } }).problem?.status ?? 0;
  const change = (add: string[]) =>
    hubCall<Order>(
      system,
      Rpc.ordersChangeTags,
      { accountId: s.accountId, actor: ACTOR, body: { orderId: order.id, add, remove: [] } },
      {
        retry: false,
      },
    );
  const oneRequest = await change(tags).then(
    () => 200,
    (err: unknown) => statusOf(err),
  );
  const answers = new Map<number, number>();
  for (let i = 0; i < TAGS; i += OrderLimits.tagsPerRequest) {
    const status = await change(tags.slice(i, i + OrderLimits.tagsPerRequest)).then(
      () => 200,
      (err: unknown) => statusOf(err),
    );
    answers.set(status, (answers.get(status) ?? 0) + 1);
  }
  const kept = (await hub.getOrder(s.accountId, order.id)).tags.length;
  await ship(system, s.accountId, order, 'TAGS-1');
  const shipped = await waitFor(
    async () => ((await hub.history(s.accountId, order.id)).some((h) => setShipped(h) && h.outcome === 'ok') ? true : undefined),
    { timeoutMs: 120_000, intervalMs: 500, what: 'the write-back after the tags' },
  ).catch(() => false);
  const settled = await hub
    .consumerSettled(Subjects.orderShipped, 'channel-serverspot_order_shipped', 60_000)
    .then(() => true)
    .catch(() => false);
  const subjects = [
    Subjects.orderImported,
    Subjects.orderTagsChanged,
    Subjects.orderShipmentAdded,
    Subjects.orderStateChanged,
    Subjects.orderShipped,
  ];
  const events = [];
  for (const subject of subjects) {
    events.push(...(await hub.streamMessages<{ data: { orderId: string } }>(subject)).filter((e) => e.data.orderId === order.id));
  }
  const largest = Math.max(...events.map((e) => Buffer.byteLength(JSON.stringify(e), 'utf8')));
  const writes = (await s.received()).filter((c) => c.orderId === order.externalId && c.newStateTypeId === SHIPPED).length;
  const ok = oneRequest === 400 && kept <= OrderLimits.tagsPerOrder && shipped && settled && writes === 1 && largest < NATS_MAX_PAYLOAD;
  const answerText = [...answers]
    .sort(([x], [y]) => x - y)
    .map(([status, n]) => `${n}× ${status}`)
    .join(', ');
  return {
    ok,
    rows: [
      [
        'an order with 5 000 tags',
        `${ok ? 'PASS' : 'FAIL'}: 5 000 tags in one request → ${oneRequest}; in ${TAGS / OrderLimits.tagsPerRequest} requests of ${OrderLimits.tagsPerRequest} → ${answerText}; the order keeps ${kept} (limit ${OrderLimits.tagsPerOrder})`,
      ],
      [
        '… its events and write-back',
        `${events.length} events of the order, largest ${fmt(largest / 1024, 0)} KiB (NATS limit 1024 KiB); the shipment afterwards reached the shop ${writes}× (${shipped ? 'done' : 'NOT done'}); write-back consumer settled: ${settled ? 'yes' : 'NO'}`,
      ],
    ],
  };
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
