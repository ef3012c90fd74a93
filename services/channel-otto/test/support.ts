import { Subjects } from '@orderhub/contracts';
import { listenOnLoopback, type RunningSimulator } from '@orderhub/sim-kit';
import { HubClient, ServiceEnv, ServiceProcess, simAdmin, type TestIsolation } from '@orderhub/testkit';
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

  admin<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    return simAdmin<T>(this.url, method, path, body);
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

const env = new ServiceEnv();

export const startOrders = (iso: TestIsolation) => env.startOrders(iso);

export const connectorEnv = (iso: TestIsolation, extra: Record<string, string> = {}) =>
  env.connector(iso, {
    LEASE_TTL_MS: '3000',
    OTTO_OVERLAP_SECONDS: '2',
    OTTO_STOCK_BATCH_MS: '300',
    ...extra,
  });

export const startConnector = (iso: TestIsolation, extra: Record<string, string> = {}) =>
  ServiceProcess.start('services/channel-otto', connectorEnv(iso, extra));

/** The hub as a gateway would see it: RPC under the file's prefix, plus the connector's KV for assertions. */
export class Hub extends HubClient {
  static override async connect(iso: TestIsolation): Promise<Hub> {
    return new Hub(await HubClient.natsFor(iso, 'otto-test'), { timeoutMs: 15_000 });
  }

  async ottoConnection(
    accountId: string,
    simUrl: string,
    seller: { username: string; password: string },
    settings: Record<string, unknown> = {},
  ): Promise<string> {
    const view = await this.createConnection(accountId, {
      type: 'otto',
      settings: { name: `OTTO ${seller.username}`, apiBaseUrl: simUrl, pollIntervalSeconds: 5, ...settings },
      secrets: { username: seller.username, password: seller.password },
    });
    return view.id;
  }
}

/** What the CHANNEL stream holds for a connection: the orders the connector handed in (after JetStream's de-duplication). */
export async function handedIn(hub: Hub, connectionId: string): Promise<{ messages: number; externalIds: number }> {
  const all = await hub.streamMessages<{ data: { connectionId: string; order: { externalId: string } } }>(Subjects.channelOrderImport);
  const mine = all.filter((m) => m.data.connectionId === connectionId);
  return { messages: mine.length, externalIds: new Set(mine.map((m) => m.data.order.externalId)).size };
}
