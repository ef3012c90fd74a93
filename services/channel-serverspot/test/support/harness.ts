import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectorTriggers } from '@orderhub/contracts';
import { HubClient, isolate, ServiceEnv, ServiceProcess, simAdmin, type TestIsolation } from '@orderhub/testkit';
import { createCustomShopSimulator, type CustomShopSimulator } from '../../../../simulators/custom-shop/src/app';
import { germanFixtureData } from '../../../../simulators/custom-shop/test/support/german-fixture';

const env = new ServiceEnv();
export const SECRETS_KEY = env.secretsKey;
export const ACTOR = 'api-key:test';

/**
 * The Custom Shop simulator over real HTTP (seeded German stand-in for faker under jest), with the real
 * clock so the connector process computes Keys the shops accept. `failAcksFor` lets AckOrder answer 503
 * while GetOrders keeps working (the simulator's faults match paths only, and the action is in the query).
 * `loseStateAnswersFor` lets a shop take a SetOrderState and then drop the connection instead of answering:
 * the change took effect, but the connector never hears it.
 */
export class ShopSim {
  /** Shops whose AckOrder answers 503. */
  readonly failAcksFor = new Set<string>();
  /** Shops whose next SetOrderState is applied but never answered. */
  readonly loseStateAnswersFor = new Set<string>();
  /** Shops that refuse every call with 401 "Unautorisiert" (a rotated key, a changed shop login). */
  readonly refuseAuthFor = new Set<string>();
  private constructor(
    readonly sim: CustomShopSimulator,
    private readonly server: Server,
  ) {}

  static async start(): Promise<ShopSim> {
    const sim = createCustomShopSimulator({ fakeData: germanFixtureData });
    const holder: { self?: ShopSim } = {};
    const server = createServer((req, res) => {
      const shopId = /^\/shops\/([^/]+)\/api/.exec(req.url ?? '')?.[1];
      if (shopId && holder.self?.refuseAuthFor.has(shopId)) {
        res.writeHead(401, { 'content-type': 'text/plain' }).end('Unautorisiert');
        return;
      }
      if (shopId && holder.self?.failAcksFor.has(shopId) && /[?&]Action=AckOrder(&|$)/.test(req.url ?? '')) {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('simulated fault 503');
        return;
      }
      if (shopId && /[?&]Action=SetOrderState(&|$)/.test(req.url ?? '') && holder.self?.loseStateAnswersFor.delete(shopId)) {
        res.end = (() => (req.socket.destroy(), res)) as typeof res.end;
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

  admin<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    return simAdmin<T>(this.url, method, path, body);
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
export class Stack extends HubClient {
  private constructor(
    readonly iso: TestIsolation,
    readonly orders: ServiceProcess,
    public connector: ServiceProcess,
    nats: HubClient['nats'],
  ) {
    super(nats, { actor: ACTOR });
  }

  static async start(label: string, connectorEnv: Record<string, string> = {}): Promise<Stack> {
    const iso = isolate(label);
    // SSP_ORDERS_WORKSPACE: run another build of the orders service (e.g. while services/orders is mid-change).
    const orders = await env.startOrders(iso, {}, process.env.SSP_ORDERS_WORKSPACE);
    const connector = await ServiceProcess.start('services/channel-serverspot', connectorEnvFor(iso, connectorEnv));
    return new Stack(iso, orders, connector, await HubClient.natsFor(iso, 'ssp-test'));
  }

  async connection(accountId: string, settings: Record<string, unknown>, secrets: Record<string, unknown>): Promise<string> {
    const view = await this.createConnection(accountId, {
      type: 'serverspot',
      settings: { name: 'Serverspot', pollIntervalSeconds: 3600, ...settings },
      secrets,
      // these tests drive the connector against shops in every state, also ones its check would refuse
      verify: false,
    });
    return view.id;
  }

  /** On-demand sync: the connector polls at its next tick (ConnectorTriggers.serverspot). */
  async trigger(accountId: string, connectionId: string): Promise<void> {
    await this.call(ConnectorTriggers.serverspot, { accountId, connectionId, type: 'serverspot' });
  }

  /** Another replica of the connector under the same isolation (its own replica id and HTTP port). */
  startReplica(replicaId: string, extra: Record<string, string> = {}): Promise<ServiceProcess> {
    return ServiceProcess.start('services/channel-serverspot', connectorEnvFor(this.iso, { ...extra, REPLICA_ID: replicaId }));
  }

  async restartConnector(signal: NodeJS.Signals, env: Record<string, string> = {}): Promise<void> {
    await this.connector.stop(signal);
    this.connector = await ServiceProcess.start('services/channel-serverspot', connectorEnvFor(this.iso, env));
  }

  override async close(): Promise<void> {
    await super.close().catch(() => undefined);
    await this.connector.stop();
    await this.orders.stop();
  }
}

function connectorEnvFor(iso: TestIsolation, extra: Record<string, string>): Record<string, string> {
  return env.connector(iso, {
    // A fixed replica id: a restarted connector takes its own lease back at once.
    REPLICA_ID: 'ssp-test-replica',
    SERVERSPOT_PERSIST_WAIT_MS: '3000',
    SERVERSPOT_PAGE_SIZE: '25',
    ...extra,
  });
}
