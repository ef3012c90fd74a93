/**
 * Reliability soak (issue "Prove it loses nothing"): the whole hub on private backends under a steady
 * order rate from OTTO, a Custom-Shop shop and Jimdo e-mails, with write-backs, bad inputs and injected
 * faults (kill -9 of the orders service and of each connector, NATS and database restarts, simulator
 * latency beyond the connectors' timeouts). At the end every order must be in the hub exactly once and
 * every write-back at its channel exactly once; the process exits 1 otherwise.
 *
 * RELIABILITY_SECONDS (default 600) load duration; RELIABILITY_RATE orders/s over all channels (default 3);
 * RELIABILITY_RECOVERY_SECONDS (default 180) how long the hub may take to catch up after the load.
 * RELIABILITY_ORDERS_REPLICAS (default 2) orders service processes: each kill -9 of the orders service
 * then hits one replica while the other goes on (a second kill takes the other one).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { type AccountCreated, type ConnectionView, ConnectorTriggers, type Order, OrderState, Rpc, Subjects } from '@orderhub/contracts';
import { type LocalServer, RunningSystem, spawnFerretDb, spawnNatsServer, waitFor } from '@orderhub/testkit';
import { deployedNodeOptions, rssOf } from './backends';
import {
  countOfConnection,
  dlqCli,
  duplicates,
  hubCall,
  metricSum,
  ordersOfConnection,
  parseDlqList,
  RELIABILITY_ACTOR as ACTOR,
  simAdmin,
  storedExternalIds,
} from './reliability-support';
import { writeResults } from './results';
import { fmt } from './stats';

const SECONDS = Number(process.env.RELIABILITY_SECONDS ?? 600);
const RATE = Number(process.env.RELIABILITY_RATE ?? 3);
const RECOVERY_SECONDS = Number(process.env.RELIABILITY_RECOVERY_SECONDS ?? 180);
const ORDERS_REPLICAS = Number(process.env.RELIABILITY_ORDERS_REPLICAS ?? 2);
const SHOP_TIMEOUT_MS = 2_000;

/** The mail-sender simulator's library (plain JS from its build; bench does not reference its types). */
interface MailSender {
  buildJimdoOrderMail(o: { seed: number; form?: string }): { raw: Buffer; order: { orderNumber: string } };
  sendMail(raw: Buffer, t: { host: string; port: number; from: string; to: string }): Promise<unknown>;
}

const mailSender = require('@orderhub/sim-mail-sender/dist/index.js') as MailSender;

const log = (s: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface FaultRecord {
  fault: string;
  at: number;
  recoveredInSeconds?: number;
  survived: boolean;
}

async function main(): Promise<number> {
  const [nats, db] = await Promise.all([spawnNatsServer(), spawnFerretDb()]);
  const fast = { POLL_TICK_MS: '200', CONNECTION_REFRESH_MS: '1000', LEASE_TTL_MS: '3000' };
  const system = await RunningSystem.start('soak', {
    backends: { natsUrl: nats.url, mongoUrl: db.url },
    services: ['orders', 'channel-otto', 'channel-serverspot', 'mail-ingest'],
    simulators: ['otto-market', 'custom-shop'],
    // with the heap limits they are deployed with (k8s config.env), so RSS shows what k8s would see
    env: {
      orders: { ...deployedNodeOptions('orders'), OUTBOX_POLL_MS: '100', OUTBOX_LEASE_MS: '1000', LOG_LEVEL: 'warn' },
      'channel-otto': {
        ...deployedNodeOptions('channel-otto'),
        ...fast,
        REPLICA_ID: 'otto-soak',
        OTTO_OVERLAP_SECONDS: '2',
        LOG_LEVEL: 'warn',
      },
      'channel-serverspot': {
        ...deployedNodeOptions('channel-serverspot'),
        ...fast,
        REPLICA_ID: 'ssp-soak',
        SERVERSPOT_PERSIST_WAIT_MS: '3000',
        SERVERSPOT_PAGE_SIZE: '50',
        SERVERSPOT_HTTP_TIMEOUT_MS: String(SHOP_TIMEOUT_MS),
        LOG_LEVEL: 'warn',
      },
      'mail-ingest': {
        ...deployedNodeOptions('mail-ingest'),
        FORWARD_ENABLED: 'false',
        MAIL_POLL_MS: '200',
        CONNECTIONS_REFRESH_MS: '5000',
        LOG_LEVEL: 'warn',
      },
    },
  });
  try {
    for (let i = 1; i < ORDERS_REPLICAS; i++) await system.addReplica('orders');
    return await soak(system, nats, db);
  } finally {
    await system.stop();
    await Promise.allSettled([nats.destroy(), db.destroy()]);
  }
}

async function soak(system: RunningSystem, nats: LocalServer, db: LocalServer): Promise<number> {
  const ottoUrl = system.simulator('otto-market').url;
  const shopUrl = system.simulator('custom-shop').url;
  const accountId = (await hubCall<AccountCreated>(system, Rpc.accountsCreate, { name: 'Soak GmbH' })).accountId;
  const seller = await simAdmin<{ partnerId: string }>(ottoUrl, 'POST', '/sellers', {
    username: 'soak-otto',
    password: 'soak-otto-pw',
    products: 10,
  });
  await simAdmin(shopUrl, 'POST', '/shops', { shopId: 'soak-shop', key: 'soak-shop-key', orders: 0, products: 10 });
  const create = (body: unknown) =>
    hubCall<ConnectionView>(system, Rpc.connectionsCreate, { accountId, actor: ACTOR, body }, { retry: false });
  const otto = await create({
    type: 'otto',
    settings: { name: 'OTTO soak', apiBaseUrl: ottoUrl, pollIntervalSeconds: 5 },
    secrets: { username: 'soak-otto', password: 'soak-otto-pw' },
  });
  const shop = await create({
    type: 'serverspot',
    settings: { name: 'Shop soak', apiUrl: `${shopUrl}/shops/soak-shop/api`, pollIntervalSeconds: 5 },
    secrets: { shopKey: 'soak-shop-key' },
    verify: false,
  });
  const jimdo = await create({ type: 'jimdo', settings: { name: 'Jimdo soak', forwardTo: 'merchant@soak.example' }, secrets: {} });
  const inbound = String(jimdo.settings.inboundAddress);

  const generated = { otto: [] as string[], shop: [] as string[], mail: [] as string[] };
  const shipped = { otto: new Map<string, string>(), shop: new Map<string, string>() };
  const badInputs = { poisonCommands: 0, garbageMails: 0, relayAttempts: 0, notDelivered: 0 };
  const faults: FaultRecord[] = [];
  const peakRss: Record<string, number> = {};
  const errors: string[] = [];
  const transientWriteErrors: string[] = [];
  let maxBacklog = 0;

  const sampler = setInterval(() => {
    const processes = [...system.services, ...system.replicas.map((p, i) => [`orders#${i + 2}`, p] as const)];
    for (const [name, p] of processes) peakRss[name] = Math.max(peakRss[name] ?? 0, rssOf(p.pid) || 0);
  }, 1_000);

  const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  const js = jetstream(nc);

  // --- load: a steady rate split over the three channels, in 1 s ticks -----------------------------
  let mailSeed = 100_000;
  /** Mails still being offered (an MTA retries while SMTP answers 4xx during a fault); never blocks the next tick. */
  const mailsInFlight: Promise<unknown>[] = [];
  let credit = 0;
  let turn = 0;
  let producedAt = Date.now();
  const produce = async () => {
    // by the time passed, so a tick that took longer than a second is made up in the next
    const now = Date.now();
    credit += (RATE * (now - producedAt)) / 1000;
    producedAt = now;
    const n = Math.floor(credit);
    credit -= n;
    const per = { otto: 0, shop: 0, mail: 0 };
    for (let i = 0; i < n; i++) per[(['otto', 'shop', 'mail'] as const)[turn++ % 3]!] += 1;
    const jobs: Promise<unknown>[] = [];
    if (per.otto) {
      jobs.push(
        simAdmin<{ orders: { order: { salesOrderId: string } }[] }>(ottoUrl, 'POST', '/orders/generate', {
          partnerId: seller.partnerId,
          count: per.otto,
          fulfillmentStatus: 'PROCESSABLE',
        }).then((b) => generated.otto.push(...b.orders.map((o) => o.order.salesOrderId))),
      );
    }
    if (per.shop) {
      // the generate call answers with the orders it made: listing the whole shop every tick made each tick
      // slower as the shop grew, and held the offered rate at half the target
      jobs.push(
        simAdmin<{ order_id: string }[]>(shopUrl, 'POST', '/shops/soak-shop/orders/generate', { count: per.shop }).then((made) =>
          generated.shop.push(...made.map((o) => o.order_id)),
        ),
      );
    }
    for (let i = 0; i < per.mail; i++) {
      const mail = mailSender.buildJimdoOrderMail({ seed: mailSeed++, form: mailSeed % 2 ? 'html' : 'text' });
      mailsInFlight.push(
        waitFor(
          () =>
            mailSender
              .sendMail(mail.raw, { host: '127.0.0.1', port: system.smtpPort, from: 'shop@jimdo.com', to: inbound })
              .then(() => true),
          {
            timeoutMs: 120_000,
            intervalMs: 1_000,
            what: 'mail accepted',
          },
        ).then(
          () => generated.mail.push(mail.order.orderNumber),
          (err: unknown) => errors.push(`mail not accepted within 120 s: ${String(err)}`),
        ),
      );
    }
    await Promise.all(jobs);
  };

  // --- write-backs: ship a few imported orders per channel every few seconds ------------------------
  const ship = async (connectionId: string, into: Map<string, string>, withReturn: boolean, count: number) => {
    // one page of candidates: listing every order of the connection every 5 s was most of the orders
    // service's work at 17 orders/s (each page a scan on FerretDB) and timed the list calls out
    const candidates = await hubCall<{ items: Order[] }>(system, Rpc.ordersList, {
      accountId,
      actor: ACTOR,
      body: { connectionId, state: [OrderState.Paid, OrderState.Ordered], limit: count + 20 },
    });
    const open = candidates.items.filter((o) => !into.has(o.externalId));
    for (const order of open.slice(0, count)) {
      const body = (extra: object) => ({ accountId, actor: ACTOR, body: { orderId: order.id, ...extra } });
      const current = () => hubCall<Order>(system, Rpc.ordersGet, body({}));
      /** A write whose answer was a 5xx or lost (a fault is going on) is checked on the order before it is sent again. */
      const ensure = async (what: string, send: () => Promise<unknown>, applied: (o: Order) => boolean) => {
        const deadline = Date.now() + 90_000;
        while (Date.now() < deadline) {
          try {
            await send();
            return;
          } catch (err) {
            const status = (err as { problem?: { status: number } }).problem?.status;
            if (await current().then(applied, () => false)) return;
            if (status !== undefined && status < 500 && status !== 409) throw err; // 409 "the order keeps changing, try again": retryable
            transientWriteErrors.push(`${what}: ${status ?? 'no answer'}`);
            await sleep(1_000);
          }
        }
        throw new Error(`${what}: no effect within 90 s`);
      };
      const shipment = `00340${order.id.slice(0, 8)}`;
      const label = `R0034${order.id.slice(0, 8)}`;
      await ensure(
        'add-shipment',
        () =>
          hubCall(system, Rpc.ordersAddShipment, body({ type: 'shipment', carrier: 'DHL', trackingNumber: shipment }), { retry: false }),
        (o) => o.shipments.some((s) => s.trackingNumber === shipment),
      );
      if (withReturn)
        await ensure(
          'add-shipment',
          () => hubCall(system, Rpc.ordersAddShipment, body({ type: 'return', carrier: 'DHL', trackingNumber: label }), { retry: false }),
          (o) => o.shipments.some((s) => s.trackingNumber === label),
        );
      into.set(order.externalId, order.id);
      await ensure(
        'change-state',
        () => hubCall(system, Rpc.ordersChangeState, body({ state: OrderState.Shipped }), { retry: false }),
        (o) => o.state === OrderState.Shipped,
      );
    }
  };

  // --- bad inputs: poison commands, garbage mails, relay attempts -----------------------------------
  const badInput = async () => {
    const id = `poison-${randomUUID()}`;
    await js.publish(
      `${system.iso.natsPrefix}.${Subjects.channelOrderImport}`,
      badInputs.poisonCommands % 2 ? `{"broken":${id}` : JSON.stringify({ eventId: id, type: 'x', version: 1 }),
      { msgID: id },
    );
    badInputs.poisonCommands += 1;
    const garbage = Buffer.concat([
      Buffer.from(`Subject: Neue Bestellung Nr. ${id}\r\nMessage-ID: <${id}@soak>\r\n\r\n`),
      randomBytes(600),
    ]);
    await mailSender.sendMail(garbage, { host: '127.0.0.1', port: system.smtpPort, from: 'x@spam.example', to: inbound }).then(
      () => (badInputs.garbageMails += 1),
      () => undefined,
    );
    await mailSender.sendMail(garbage, { host: '127.0.0.1', port: system.smtpPort, from: 'x@spam.example', to: 'victim@gmail.com' }).then(
      () => errors.push('open relay: a mail to victim@gmail.com was accepted'),
      () => (badInputs.relayAttempts += 1),
    );
  };

  const ready = async () => {
    for (const p of [...system.services.values(), ...system.replicas]) {
      const res = await fetch(`${p.url}/health/ready`).catch(() => undefined);
      if (res?.status !== 200) return false;
    }
    return true;
  };
  const fault = async (name: string, act: () => Promise<void>) => {
    const at = Date.now();
    log(`fault: ${name}`);
    const record: FaultRecord = { fault: name, at, survived: false };
    faults.push(record);
    try {
      await act();
      await waitFor(ready, { timeoutMs: 90_000, intervalMs: 500, what: `ready after ${name}` });
      record.survived = true;
      record.recoveredInSeconds = (Date.now() - at) / 1000;
    } catch (err) {
      errors.push(`${name}: ${String(err)}`);
    }
  };
  const latency = async () => {
    // Beyond the connectors' timeouts: Custom-Shop answers after 2.5 s (timeout 2 s), OTTO after 16 s (timeout 15 s).
    await simAdmin(shopUrl, 'POST', '/faults', { pathPrefix: '/shops/', latencyMs: SHOP_TIMEOUT_MS + 500 });
    await simAdmin(ottoUrl, 'POST', '/faults', { pathPrefix: '/v4/orders', latencyMs: 16_000 });
    await sleep(20_000);
    await simAdmin(shopUrl, 'DELETE', '/faults');
    await simAdmin(ottoUrl, 'DELETE', '/faults');
  };
  const schedule: [number, string, () => Promise<void>][] = [
    [
      0.12,
      'kill -9 orders',
      async () => {
        await system.service('orders').stop('SIGKILL');
        await sleep(2_000);
        await system.service('orders').launch();
      },
    ],
    [
      0.25,
      'kill -9 channel-otto',
      async () => {
        await system.service('channel-otto').stop('SIGKILL');
        await sleep(1_000);
        await system.service('channel-otto').launch();
      },
    ],
    [0.4, 'NATS restart', () => nats.restart()],
    ...(system.replicas[0]
      ? ([
          [
            0.48,
            'kill -9 orders (the second replica)',
            async () => {
              await system.replicas[0]!.stop('SIGKILL');
              await sleep(2_000);
              await system.replicas[0]!.launch();
            },
          ],
        ] as [number, string, () => Promise<void>][])
      : []),
    [0.55, 'simulator latency beyond timeouts (20 s)', latency],
    [
      0.7,
      'kill -9 channel-serverspot',
      async () => {
        await system.service('channel-serverspot').stop('SIGKILL');
        await sleep(1_000);
        await system.service('channel-serverspot').launch();
      },
    ],
    [0.85, 'database restart', () => db.restart()],
  ];

  log(`soak: ${SECONDS} s at ${RATE} orders/s over OTTO, Custom-Shop and e-mail; ${schedule.length} faults`);
  const started = Date.now();
  const end = started + SECONDS * 1000;
  let nextShip = started + 5_000;
  let nextBad = started + 3_000;
  let nextFault = 0;
  const background: Promise<unknown>[] = [];
  let loops = 0;
  let backlogCheck: Promise<void> | undefined;
  while (Date.now() < end) {
    const tick = Date.now();
    await produce().catch((err: unknown) => errors.push(`load: ${String(err)}`));
    const elapsed = (Date.now() - started) / (SECONDS * 1000);
    const due = schedule[nextFault];
    if (due && elapsed >= due[0]) {
      nextFault += 1;
      background.push(fault(due[1], due[2]));
    }
    if (Date.now() >= nextShip) {
      nextShip = Date.now() + 5_000;
      background.push(
        Promise.all([ship(otto.id, shipped.otto, true, 2), ship(shop.id, shipped.shop, false, 2)]).catch((err: unknown) =>
          errors.push(`write-back: ${String(err)}`),
        ),
      );
    }
    if (Date.now() >= nextBad) {
      nextBad = Date.now() + 15_000;
      background.push(badInput().catch(() => (badInputs.notDelivered += 1))); // e.g. a publish while NATS restarts: the harness, not the hub
    }
    if (loops % 30 === 0)
      log(
        `load: ${generated.otto.length} OTTO, ${generated.shop.length} shop, ${generated.mail.length} mail orders; ${shipped.otto.size + shipped.shop.size} shipped`,
      );
    // beside the load, not in its way: listing every OTTO order takes longer as they grow
    if (++loops % 10 === 0 && !backlogCheck) {
      const offered = generated.otto.length;
      backlogCheck = countOfConnection(system, accountId, otto.id)
        .then((inHub) => void (maxBacklog = Math.max(maxBacklog, offered - inHub)))
        .catch(() => undefined)
        .finally(() => (backlogCheck = undefined));
    }
    await sleep(Math.max(0, 1_000 - (Date.now() - tick)));
  }
  await backlogCheck;
  const loadSeconds = (Date.now() - started) / 1000;
  log(`load done: ${generated.otto.length + generated.shop.length + generated.mail.length} orders; waiting for the hub to catch up`);
  const settled = Promise.allSettled([...background, ...mailsInFlight]).then(() => true);
  if (!(await Promise.race([settled, sleep(180_000).then(() => false)])))
    errors.push('background work (write-backs, faults, mails) still pending 180 s after the load');
  await simAdmin(shopUrl, 'DELETE', '/faults').catch(() => undefined);
  await simAdmin(ottoUrl, 'DELETE', '/faults').catch(() => undefined);

  // --- recovery: everything in, then one more poll round must not change anything ------------------
  const loadEnd = Date.now();
  const trigger = async () => {
    await hubCall(system, ConnectorTriggers.otto, { accountId, connectionId: otto.id, type: 'otto' }).catch(() => undefined);
    await hubCall(system, ConnectorTriggers.serverspot, { accountId, connectionId: shop.id, type: 'serverspot' }).catch(() => undefined);
  };
  const missingNow = async () => {
    // counts first: a listing of every order is worth it only once the counts say all could be in
    const counts = await Promise.all([otto.id, shop.id, jimdo.id].map((id) => countOfConnection(system, accountId, id)));
    const short = generated.otto.length + generated.shop.length + generated.mail.length - counts.reduce((a, b) => a + b, 0);
    if (short > 0) return short;
    const stored = await storedExternalIds(system, accountId);
    const [ho, hs, hm] = [otto.id, shop.id, jimdo.id].map((id) => stored.get(id) ?? new Set<string>()) as [
      Set<string>,
      Set<string>,
      Set<string>,
    ];
    return (
      generated.otto.filter((x) => !ho.has(x)).length +
      generated.shop.filter((x) => !hs.has(x)).length +
      generated.mail.filter((x) => !hm.has(x)).length
    );
  };
  const shipmentsAtOtto = async () =>
    (await simAdmin<{ positionItems: { salesOrderId: string }[] }[]>(ottoUrl, 'GET', '/shipments')).map(
      (s) => s.positionItems[0]?.salesOrderId ?? '?',
    );
  const statesAtShop = async () =>
    (
      await simAdmin<{ stateChanges: { orderId: string; newStateTypeId: number }[] }>(shopUrl, 'GET', '/shops/soak-shop/received')
    ).stateChanges
      .filter((c) => c.newStateTypeId === OrderState.Shipped)
      .map((c) => c.orderId);
  let recovered = false;
  await waitFor(
    async () => {
      await trigger();
      const missing = await missingNow();
      const otoShip = new Set(await shipmentsAtOtto());
      const shopShip = new Set(await statesAtShop());
      const pendingWriteBacks =
        [...shipped.otto.keys()].filter((k) => !otoShip.has(k)).length + [...shipped.shop.keys()].filter((k) => !shopShip.has(k)).length;
      const outbox = await metricSum(system.service('orders').url, 'orderhub_outbox_pending_documents').catch(() => NaN);
      log(`recovery: ${missing} orders missing, ${pendingWriteBacks} write-backs pending, outbox ${outbox}`);
      return (missing === 0 && pendingWriteBacks === 0 && outbox === 0) || undefined;
    },
    { timeoutMs: RECOVERY_SECONDS * 1000, intervalMs: 3_000, what: 'recovery' },
  ).then(
    () => (recovered = true),
    (err: unknown) => errors.push(`recovery: ${String(err)}`),
  );
  const lagRecoveredSeconds = (Date.now() - loadEnd) / 1000;
  await sleep(7_000); // one more poll interval (5 s): re-reads must add nothing
  clearInterval(sampler);

  // --- the verdict -----------------------------------------------------------------------------------
  const [hubOtto, hubShop, hubMail] = await Promise.all(
    [otto.id, shop.id, jimdo.id].map((id) => ordersOfConnection(system, accountId, id)),
  );
  const lost = (gen: string[], hub: Order[]) => {
    const ids = new Set(hub.map((o) => o.externalId));
    return gen.filter((g) => !ids.has(g));
  };
  const lostOrders = [...lost(generated.otto, hubOtto!), ...lost(generated.shop, hubShop!), ...lost(generated.mail, hubMail!)];
  const dupOrders = {
    ...duplicates(hubOtto!.map((o) => `otto:${o.externalId}`)),
    ...duplicates(hubShop!.map((o) => `shop:${o.externalId}`)),
    ...duplicates(hubMail!.map((o) => `mail:${o.externalId}`)),
  };
  const unexpected = [...hubOtto!, ...hubShop!, ...hubMail!].filter(
    (o) => ![...generated.otto, ...generated.shop, ...generated.mail].includes(o.externalId),
  ).length;
  const atOtto = await shipmentsAtOtto();
  const atShop = await statesAtShop();
  const lostWriteBacks = [
    ...[...shipped.otto.keys()].filter((k) => !atOtto.includes(k)),
    ...[...shipped.shop.keys()].filter((k) => !atShop.includes(k)),
  ];
  const dupWriteBacks = { ...duplicates(atOtto), ...duplicates(atShop) };
  const parked = parseDlqList((await dlqCli(nats.url, system.iso.natsPrefix, ['list'])).stdout);
  const unexpectedParked = parked.filter(
    (p) => !(p.subject === Subjects.channelOrderImport && /not valid JSON|does not match the schema/.test(p.reason)),
  );
  await nc.close();

  const total = generated.otto.length + generated.shop.length + generated.mail.length;
  const ok =
    recovered &&
    lostOrders.length === 0 &&
    Object.keys(dupOrders).length === 0 &&
    unexpected === 0 &&
    lostWriteBacks.length === 0 &&
    Object.keys(dupWriteBacks).length === 0 &&
    unexpectedParked.length === 0 &&
    faults.every((f) => f.survived) &&
    errors.length === 0;
  const mb = (b: number) => fmt(b / 2 ** 20, 0);
  writeResults(
    'reliability',
    {
      ok,
      seconds: loadSeconds,
      rateTarget: RATE,
      ordersReplicas: ORDERS_REPLICAS,
      generated: { otto: generated.otto.length, shop: generated.shop.length, mail: generated.mail.length },
      faults,
      badInputs,
      dlq: { parked: parked.length, poisonSent: badInputs.poisonCommands, unexpected: unexpectedParked },
      lostOrders,
      duplicatedOrders: dupOrders,
      unexpectedOrders: unexpected,
      shipped: { otto: shipped.otto.size, shop: shipped.shop.size },
      lostWriteBacks,
      duplicatedWriteBacks: dupWriteBacks,
      peakRssBytes: peakRss,
      maxOttoBacklog: maxBacklog,
      lagRecoveredSeconds,
      transientWriteErrors,
      errors,
    },
    [
      ['verdict', ok ? 'PASS: nothing lost, nothing duplicated' : 'FAIL'],
      [
        'load held',
        `${total} orders (OTTO ${generated.otto.length}, Custom-Shop ${generated.shop.length}, e-mail ${generated.mail.length}) in ${fmt(loadSeconds, 0)} s = ${fmt(total / loadSeconds, 2)} orders/s (target ${RATE})`,
      ],
      ['orders service replicas', String(ORDERS_REPLICAS)],
      [
        'faults injected / survived',
        `${faults.length} / ${faults.filter((f) => f.survived).length}: ${faults.map((f) => `${f.fault}${f.recoveredInSeconds !== undefined ? ` (ready in ${fmt(f.recoveredInSeconds, 1)} s)` : ' (NOT recovered)'}`).join('; ')}`,
      ],
      [
        'bad inputs tried',
        `${badInputs.poisonCommands} poison commands, ${badInputs.garbageMails} garbage mails, ${badInputs.relayAttempts} relay attempts refused; DLQ holds ${parked.length} (${unexpectedParked.length} unexpected)`,
      ],
      ['orders lost', String(lostOrders.length)],
      ['orders duplicated', String(Object.keys(dupOrders).length)],
      ['orders not generated but in the hub', String(unexpected)],
      ['write-backs (OTTO shipments / shop SetOrderState 4)', `${shipped.otto.size} / ${shipped.shop.size}`],
      ['write-backs lost', String(lostWriteBacks.length)],
      ['write-backs duplicated', String(Object.keys(dupWriteBacks).length)],
      [
        'peak RSS per service (MB)',
        Object.entries(peakRss)
          .map(([k, v]) => `${k} ${mb(v)}`)
          .join(', '),
      ],
      ['max OTTO import backlog (orders)', String(maxBacklog)],
      ['lag recovered after load stop (s)', recovered ? fmt(lagRecoveredSeconds, 1) : `not within ${RECOVERY_SECONDS}`],
      [
        'write calls answered 5xx / not at all during faults (checked, then retried)',
        transientWriteErrors.length ? `${transientWriteErrors.length}: ${[...new Set(transientWriteErrors)].join(', ')}` : '0',
      ],
      ['errors', errors.length ? errors.slice(0, 5).join(' | ') : 'none'],
    ],
  );
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
