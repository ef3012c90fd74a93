import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AccountCreated, type ConnectionView, ConnectorTriggers, type Order, type Page, Rpc } from '@orderhub/contracts';
import { createLogger, NatsClient, RpcClient, SubjectNamer } from '@orderhub/platform';
import { isolate, ServiceProcess, type TestIsolation, waitFor } from '@orderhub/testkit';
import { createCustomShopSimulator, type CustomShopSimulator } from '../../../../simulators/custom-shop/src/app';
import { germanFixtureData } from '../../../../simulators/custom-shop/test/support/german-fixture';

export const SECRETS_KEY = randomBytes(32).toString('base64');
export const ACTOR = 'api-key:test';

/**
 * The Custom Shop simulator over real HTTP (seeded German stand-in for faker under jest), with the real
 * clock so the connector process computes Keys the shops accept. `failAcksFor` lets AckOrder answer 503
 * while GetOrders keeps working (the simulator's faults match paths only, and the action is in the query).
 */
export class ShopSim {
  /** Shops whose AckOrder answers 503. */
  readonly failAcksFor = new Set<string>();
  private constructor(
    readonly sim: CustomShopSimulator,
    private readonly server: Server,
  ) {}

  static async start(): Promise<ShopSim> {
    const sim = createCustomShopSimulator({ fakeData: germanFixtureData });
    const holder: { self?: ShopSim } = {};
    const server = createServer((req, res) => {
      const shopId = /^\/shops\/([^/]+)\/api/.exec(req.url ?? '')?.[1];
      if (shopId && holder.self?.failAcksFor.has(shopId) && /[?&]Action=AckOrder(&|$)/.test(req.url ?? '')) {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('simulated fault 503');
        return;
      }
      sim.app(req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    holder.self = new ShopSim(sim, server);
    return holder.self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  apiUrl(shopId: string): string {
    return `${this.url}/shops/${shopId}/api`;
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

  async createShop(shopId: string, config: Record<string, unknown> = {}): Promise<void> {
    await this.admin('POST', '/shops', { shopId, key: `${shopId}-key`, products: 5, ...config });
  }

  /** How often an endpoint of one shop was called (sim-kit counts per `METHOD path`). */
  async calls(shopId: string): Promise<number> {
    const counts = await this.admin<Record<string, number>>('GET', '/calls');
    return Object.entries(counts)
      .filter(([k]) => k.includes(`/shops/${shopId}/api`))
      .reduce((sum, [, n]) => sum + n, 0);
  }

  async shopOrders(shopId: string): Promise<{ order: any; acknowledged: boolean }[]> {
    return this.admin('GET', `/shops/${shopId}/orders`);
  }

  async received(shopId: string): Promise<{ acks: any[]; stateChanges: any[]; stockUpdates: any[] }> {
    return this.admin('GET', `/shops/${shopId}/received`);
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** Orders service + connector as processes, and a NATS client in the test for RPC. */
export class Stack {
  private constructor(
    readonly iso: TestIsolation,
    readonly orders: ServiceProcess,
    public connector: ServiceProcess,
    readonly nats: NatsClient,
    readonly rpc: RpcClient,
  ) {}

  static async start(label: string, connectorEnv: Record<string, string> = {}): Promise<Stack> {
    const iso = isolate(label);
    // SSP_ORDERS_WORKSPACE: run another build of the orders service (e.g. while services/orders is mid-change).
    const orders = await ServiceProcess.start(process.env.SSP_ORDERS_WORKSPACE ?? 'services/orders', {
      MONGO_URL: iso.mongoUrl,
      NATS_URL: iso.natsUrl,
      NATS_PREFIX: iso.natsPrefix,
      SECRETS_KEYS: `k1:${SECRETS_KEY}`,
      SECRETS_ACTIVE_KEY: 'k1',
      OUTBOX_POLL_MS: '100',
      OUTBOX_LEASE_MS: '1000',
    });
    const connector = await ServiceProcess.start('services/channel-serverspot', connectorEnvFor(iso, connectorEnv));
    const nats = new NatsClient(iso.natsUrl, new SubjectNamer(iso.natsPrefix), 'ssp-test', createLogger('ssp-test', 'silent'));
    await nats.connect();
    return new Stack(iso, orders, connector, nats, new RpcClient(nats));
  }

  call<T>(subject: string, request: unknown, timeoutMs?: number): Promise<T> {
    return this.rpc.call<T>(subject, request, timeoutMs);
  }

  async refusal(
    subject: string,
    request: unknown,
    timeoutMs?: number,
  ): Promise<{ status: number; ruleId?: string; detail?: string; errors?: { path: string; message: string }[] }> {
    try {
      await this.rpc.call(subject, request, timeoutMs);
    } catch (err) {
      const problem = (err as { problem?: any }).problem;
      if (problem) return problem;
      throw err;
    }
    throw new Error(`${subject} was expected to be refused`);
  }

  async account(name = 'Händler'): Promise<string> {
    return (await this.call<AccountCreated>(Rpc.accountsCreate, { name })).accountId;
  }

  async connection(accountId: string, settings: Record<string, unknown>, secrets: Record<string, unknown>): Promise<string> {
    const view = await this.call<ConnectionView>(Rpc.connectionsCreate, {
      accountId,
      actor: ACTOR,
      body: { type: 'serverspot', settings: { name: 'Serverspot', pollIntervalSeconds: 3600, ...settings }, secrets },
    });
    return view.id;
  }

  /** On-demand sync: the connector polls at its next tick (ConnectorTriggers.serverspot). */
  async trigger(accountId: string, connectionId: string): Promise<void> {
    await this.call(ConnectorTriggers.serverspot, { accountId, connectionId, type: 'serverspot' });
  }

  async find(accountId: string, connectionId: string, externalId: string): Promise<Order | undefined> {
    try {
      return await this.call<Order>(Rpc.ordersFindByExternalId, { accountId, actor: ACTOR, body: { connectionId, externalId } });
    } catch {
      return undefined;
    }
  }

  async ordersOf(accountId: string, connectionId: string): Promise<Order[]> {
    const out: Order[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.call<Page<Order>>(Rpc.ordersList, { accountId, actor: ACTOR, body: { connectionId, limit: 200, cursor } });
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  async order(accountId: string, orderId: string): Promise<Order> {
    return this.call<Order>(Rpc.ordersGet, { accountId, actor: ACTOR, body: { orderId } });
  }

  /** Waits until the order's history holds a write-back record of the connector. */
  async activity(accountId: string, orderId: string, match: (h: NonNullable<Order['history']>[number]) => boolean, what: string) {
    return waitFor(
      async () => {
        const order = await this.order(accountId, orderId);
        return order.history?.find((h) => h.actor.startsWith('connector:') && match(h));
      },
      { timeoutMs: 20_000, what, intervalMs: 200 },
    );
  }

  async restartConnector(signal: NodeJS.Signals, env: Record<string, string> = {}): Promise<void> {
    await this.connector.stop(signal);
    this.connector = await ServiceProcess.start('services/channel-serverspot', connectorEnvFor(this.iso, env));
  }

  async close(): Promise<void> {
    await this.nats.drain().catch(() => undefined);
    await this.connector.stop();
    await this.orders.stop();
  }
}

function connectorEnvFor(iso: TestIsolation, extra: Record<string, string>): Record<string, string> {
  return {
    NATS_URL: iso.natsUrl,
    NATS_PREFIX: iso.natsPrefix,
    SECRETS_KEYS: `k1:${SECRETS_KEY}`,
    SECRETS_ACTIVE_KEY: 'k1',
    POLL_TICK_MS: '200',
    CONNECTION_REFRESH_MS: '500',
    // A fixed replica id: a restarted connector takes its own lease back at once.
    REPLICA_ID: 'ssp-test-replica',
    SERVERSPOT_PERSIST_WAIT_MS: '3000',
    SERVERSPOT_PAGE_SIZE: '25',
    ...extra,
  };
}
