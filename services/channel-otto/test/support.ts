import { randomBytes } from 'node:crypto';
import { Kvm } from '@nats-io/kv';
import { type AccountCreated, type ConnectionView, type Order, type Page, Rpc } from '@orderhub/contracts';
import { createLogger, NatsClient, RpcClient, SubjectNamer } from '@orderhub/platform';
import { listenOnLoopback, type RunningSimulator } from '@orderhub/sim-kit';
import { ServiceProcess, type TestIsolation, waitFor } from '@orderhub/testkit';
import { createOttoMarketSimulator, type OttoMarketSimulator } from '../../../simulators/otto-market/src/app';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The OTTO Market simulator in this test process (real HTTP on loopback, real clock). */
export class OttoSim {
  private constructor(
    readonly sim: OttoMarketSimulator,
    readonly server: RunningSimulator,
  ) {}

  static async start(): Promise<OttoSim> {
    const sim = createOttoMarketSimulator({ defaultCatalogSize: 10, rateLimitPerSecond: 50 });
    return new OttoSim(sim, await listenOnLoopback(sim.app));
  }

  get url(): string {
    return this.server.url;
  }

  seller(name: string, products = 10): { partnerId: string; username: string; password: string } {
    const s = this.sim.createSeller({ username: name, password: `${name}-secret`, products });
    return { partnerId: s.partnerId, username: s.username, password: s.password };
  }

  async admin<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}/_admin${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`admin ${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async generate(partnerId: string, count: number, fulfillmentStatus?: 'ANNOUNCED' | 'PROCESSABLE'): Promise<any[]> {
    const body = await this.admin<{ orders: { order: any }[] }>('POST', '/orders/generate', { partnerId, count, fulfillmentStatus });
    return body.orders.map((o) => o.order);
  }

  calls(key: string): number {
    return this.sim.counter.snapshot()[key] ?? 0;
  }

  close(): Promise<void> {
    this.sim.continuous.stop();
    return this.server.close();
  }
}

export const secrets = { SECRETS_KEYS: `k1:${randomBytes(32).toString('base64')}`, SECRETS_ACTIVE_KEY: 'k1' };

export const startOrders = (iso: TestIsolation) =>
  ServiceProcess.start('services/orders', {
    MONGO_URL: iso.mongoUrl,
    NATS_URL: iso.natsUrl,
    NATS_PREFIX: iso.natsPrefix,
    OUTBOX_POLL_MS: '100',
    OUTBOX_LEASE_MS: '1000',
    ...secrets,
  });

export const connectorEnv = (iso: TestIsolation, extra: Record<string, string> = {}) => ({
  NATS_URL: iso.natsUrl,
  NATS_PREFIX: iso.natsPrefix,
  ...secrets,
  POLL_TICK_MS: '200',
  CONNECTION_REFRESH_MS: '500',
  LEASE_TTL_MS: '3000',
  OTTO_OVERLAP_SECONDS: '2',
  OTTO_STOCK_BATCH_MS: '300',
  ...extra,
});

export const startConnector = (iso: TestIsolation, extra: Record<string, string> = {}) =>
  ServiceProcess.start('services/channel-otto', connectorEnv(iso, extra));

/** The hub as a gateway would see it: RPC under the file's prefix, plus the connector's KV for assertions. */
export class Hub {
  private constructor(
    readonly nats: NatsClient,
    readonly rpc: RpcClient,
  ) {}

  static async connect(iso: TestIsolation): Promise<Hub> {
    const nats = new NatsClient(iso.natsUrl, new SubjectNamer(iso.natsPrefix), 'otto-test', createLogger('otto-test', 'silent'));
    await nats.connect();
    return new Hub(nats, new RpcClient(nats));
  }

  call<T = any>(subject: string, request: unknown): Promise<T> {
    return this.rpc.call<T>(subject, request, 15_000);
  }

  async refusal(subject: string, request: unknown): Promise<{ status: number; ruleId?: string; detail?: string }> {
    try {
      await this.rpc.call(subject, request);
    } catch (err) {
      const problem = (err as { problem?: { status: number; ruleId?: string; detail?: string } }).problem;
      if (problem) return problem;
      throw err;
    }
    throw new Error(`${subject} was expected to be refused`);
  }

  async account(name: string): Promise<string> {
    return (await this.call<AccountCreated>(Rpc.accountsCreate, { name })).accountId;
  }

  async ottoConnection(
    accountId: string,
    simUrl: string,
    seller: { username: string; password: string },
    settings: Record<string, unknown> = {},
  ): Promise<string> {
    const view = await this.call<ConnectionView>(Rpc.connectionsCreate, {
      accountId,
      actor: 'test',
      body: {
        type: 'otto',
        settings: { name: `OTTO ${seller.username}`, apiBaseUrl: simUrl, pollIntervalSeconds: 5, ...settings },
        secrets: { username: seller.username, password: seller.password },
      },
    });
    return view.id;
  }

  async orders(accountId: string, connectionId?: string): Promise<Order[]> {
    const all: Order[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.call<Page<Order>>(Rpc.ordersList, { accountId, actor: 'test', body: { connectionId, cursor, limit: 200 } });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  async order(accountId: string, connectionId: string, externalId: string): Promise<Order | undefined> {
    try {
      return await this.call<Order>(Rpc.ordersFindByExternalId, { accountId, actor: 'test', body: { connectionId, externalId } });
    } catch (err) {
      if ((err as { problem?: { status: number } }).problem?.status === 404) return undefined;
      throw err;
    }
  }

  waitOrder(
    accountId: string,
    connectionId: string,
    externalId: string,
    until: (o: Order) => boolean = () => true,
    timeoutMs = 20_000,
  ): Promise<Order> {
    return waitFor(
      async () => {
        const o = await this.order(accountId, connectionId, externalId);
        return o && until(o) ? o : undefined;
      },
      { timeoutMs, intervalMs: 200, what: `order ${externalId}` },
    );
  }

  async history(accountId: string, orderId: string) {
    const order = await this.call<Order>(Rpc.ordersGet, { accountId, actor: 'test', body: { orderId } });
    return order.history ?? [];
  }

  async checkpoint(connectionId: string): Promise<any> {
    const kv = await new Kvm(this.nats.nc).open(this.nats.names.bucket('connector_otto'));
    const entry = await kv.get(`checkpoint.${connectionId}`);
    return entry && entry.length > 0 ? entry.json() : undefined;
  }

  close(): Promise<void> {
    return this.nats.drain();
  }
}

/** What the CHANNEL stream holds for a connection: the orders the connector handed in (after JetStream's de-duplication). */
export async function handedIn(hub: Hub, connectionId: string): Promise<{ messages: number; externalIds: number }> {
  const { AckPolicy, DeliverPolicy } = await import('@nats-io/jetstream');
  const nats = hub.nats;
  const stream = nats.streamFor('channel.order.import');
  const consumer = await nats.jsm.consumers.add(stream, {
    filter_subject: nats.names.subject('channel.order.import'),
    ack_policy: AckPolicy.None,
    deliver_policy: DeliverPolicy.All,
    inactive_threshold: 30_000_000_000,
  });
  const c = await nats.js.consumers.get(stream, consumer.name);
  let pending = consumer.num_pending;
  let messages = 0;
  const ids = new Set<string>();
  while (pending > 0) {
    const batch = await c.fetch({ max_messages: Math.min(pending, 1000), expires: 2_000 });
    let got = 0;
    for await (const m of batch) {
      got++;
      const body = m.json<{ data: { connectionId: string; order: { externalId: string } } }>();
      if (body.data.connectionId !== connectionId) continue;
      messages++;
      ids.add(body.data.order.externalId);
    }
    if (!got) break;
    pending -= got;
  }
  await nats.jsm.consumers.delete(stream, consumer.name).catch(() => undefined);
  return { messages, externalIds: ids.size };
}
