/**
 * Demo data for `docker compose up` and `npm run dev`: one account ("Demo merchant") with an OTTO
 * connection, a Serverspot-style shop, a Jimdo shop (e-mail import) and wemalo fulfilment, all
 * against the simulators. Idempotent: a second run keeps the account and its connections and
 * prints a fresh API key (the old one stops working; keys are stored hashed and cannot be shown again).
 * Needs MONGO_URL (the orders database) and a running orders service on NATS_URL/NATS_PREFIX.
 */
import mongoose from 'mongoose';
import { z } from 'zod';
import { type ConnectionView, type CreateConnection, Rpc } from '@orderhub/contracts';
import { BaseConfigSchema, createLogger, loadConfig, NatsClient, RpcClient, SubjectNamer } from '@orderhub/platform';
import { AccountRepository } from '../accounts/account.repository';
import { OrdersDatabase } from '../infrastructure/database';

const SeedConfigSchema = BaseConfigSchema.omit({ HTTP_PORT: true }).extend({
  MONGO_URL: z.string().min(1),
  DEMO_ACCOUNT_NAME: z.string().default('Demo merchant'),
  DEMO_OTTO_BASE_URL: z.url().default('http://127.0.0.1:7101'),
  DEMO_OTTO_USERNAME: z.string().default('demo-otto'),
  DEMO_OTTO_PASSWORD: z.string().default('demo-otto-secret'),
  DEMO_CUSTOM_SHOP_BASE_URL: z.url().default('http://127.0.0.1:7102'),
  DEMO_CUSTOM_SHOP_ID: z.string().default('demo-shop'),
  DEMO_CUSTOM_SHOP_KEY: z.string().default('demo-shop-key'),
  DEMO_WEMALO_BASE_URL: z.url().default('http://127.0.0.1:7103'),
  DEMO_WEMALO_TOKEN: z.string().default('demo-wemalo-token'),
  DEMO_MERCHANT_MAIL: z.email().default('merchant@demo.orderhub.local'),
});

function demoConnections(c: z.infer<typeof SeedConfigSchema>): CreateConnection[] {
  const common = { syncDirection: 'both', importOrders: true, active: true } as const;
  return [
    {
      type: 'otto',
      settings: {
        ...common,
        name: 'OTTO Market (simulator)',
        apiBaseUrl: c.DEMO_OTTO_BASE_URL,
        lockPositions: true,
        pollIntervalSeconds: 10,
      },
      secrets: { username: c.DEMO_OTTO_USERNAME, password: c.DEMO_OTTO_PASSWORD },
    },
    {
      type: 'serverspot',
      settings: {
        ...common,
        name: 'Serverspot shop (simulator)',
        apiUrl: `${c.DEMO_CUSTOM_SHOP_BASE_URL}/shops/${c.DEMO_CUSTOM_SHOP_ID}/api`,
        lockPositionsForbidInvoices: false,
        paymentDueDays: 14,
        pollIntervalSeconds: 10,
      },
      secrets: { shopKey: c.DEMO_CUSTOM_SHOP_KEY },
    },
    {
      type: 'jimdo',
      settings: { ...common, name: 'Jimdo shop (e-mail import)', forwardTo: c.DEMO_MERCHANT_MAIL, pollIntervalSeconds: 60 },
      secrets: {},
    },
    {
      type: 'wemalo',
      settings: {
        ...common,
        name: 'wemalo warehouse (simulator)',
        apiBaseUrl: `${c.DEMO_WEMALO_BASE_URL}/v1`,
        orderStateId: 3,
        storageLocationId: 0,
        ordersTag: 'wemalo',
        syncIntervalMinutes: 1,
        pollIntervalSeconds: 60,
      },
      secrets: { apiToken: c.DEMO_WEMALO_TOKEN },
    },
  ] as CreateConnection[];
}

async function main(): Promise<void> {
  const config = loadConfig(SeedConfigSchema);
  const logger = createLogger('seed-demo', 'warn');
  const connection = await mongoose.createConnection(config.MONGO_URL, { autoIndex: false, serverSelectionTimeoutMS: 10_000 }).asPromise();
  const nats = new NatsClient(config.NATS_URL, new SubjectNamer(config.NATS_PREFIX), 'seed-demo', logger, {
    user: config.NATS_USER,
    password: config.NATS_PASSWORD,
  });
  await nats.connect();
  try {
    const db = new OrdersDatabase(connection.db as mongoose.mongo.Db);
    await db.ensureIndexes();
    const accounts = new AccountRepository(db.accounts, db.apiKeys);
    const existing = await accounts.findByName(config.DEMO_ACCOUNT_NAME);
    const account = existing ? await accounts.rotateKey(existing._id) : await accounts.create(config.DEMO_ACCOUNT_NAME);
    const rpc = new RpcClient(nats);
    const ctx = { accountId: account.accountId, actor: 'seed-demo' };
    const present = await rpc.call<ConnectionView[]>(Rpc.connectionsList, { ...ctx, body: {} });
    const created: ConnectionView[] = [];
    for (const wanted of demoConnections(config)) {
      if (present.some((p) => p.type === wanted.type)) continue;
      // the connectors may still be starting: the demo connections are saved without their check
      created.push(await rpc.call<ConnectionView>(Rpc.connectionsCreate, { ...ctx, body: { ...wanted, verify: false } }));
    }
    const all = [...present, ...created];
    const jimdo = all.find((c) => c.type === 'jimdo');
    process.stdout.write(
      [
        '',
        `Demo account:  ${config.DEMO_ACCOUNT_NAME} (${account.accountId})${existing ? ' — already seeded, new API key issued' : ''}`,
        `API key:       ${account.apiKey}`,
        `Try:           curl -H "Authorization: Bearer ${account.apiKey}" http://127.0.0.1:8080/api/v1/orders`,
        `Connections:   ${all.map((c) => `${c.type} ${c.id}`).join(', ')}`,
        jimdo ? `Jimdo inbound: ${String(jimdo.settings.inboundAddress ?? '')} (SMTP port 2525)` : '',
        '',
      ].join('\n'),
    );
  } finally {
    await nats.drain();
    await connection.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`seed-demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
