import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { listenOnLoopback, type RunningSimulator } from '@orderhub/sim-kit';
import {
  channelOrderFixture,
  freePort,
  HubClient,
  isolate,
  ServiceEnv,
  ServiceProcess,
  type TestIsolation,
  waitFor,
} from '@orderhub/testkit';
import { createWemaloSimulator, type WemaloSimulator } from '../../../simulators/wemalo/src/app';

export const WEMALO_TOKEN = 'wemalo-test-token';
const env = new ServiceEnv();
export const SECRETS_KEY = env.secretsKey;
export const ACTOR = 'test:wemalo';

/** The wemalo simulator in this process, the way its own tests run it, plus its admin API. */
export class WemaloSim {
  private constructor(
    readonly sim: WemaloSimulator,
    readonly server: RunningSimulator,
  ) {}

  static async start(): Promise<WemaloSim> {
    const sim = createWemaloSimulator({ token: WEMALO_TOKEN, webhook: { retryDelayMs: 500 } });
    return new WemaloSim(sim, await listenOnLoopback(sim.app));
  }

  get apiBaseUrl(): string {
    return `${this.server.url}/v1`;
  }

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.server.url}/v1${path}`, {
      method,
      headers: { authorization: `JWT ${WEMALO_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  async admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.server.url}/_admin${path}`, {
      method,
      headers: body !== undefined ? { 'content-type': 'application/json' } : {},
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  goodsOrder(externalId: string) {
    return this.sim.warehouse.orders.all().find((o) => o.externalId === externalId);
  }

  submissions(externalId: string) {
    return this.sim.warehouse.receivedOrders.filter((r) => r.externalId === externalId);
  }

  product(externalId: string) {
    return this.sim.warehouse.catalog.find(externalId);
  }

  async close(): Promise<void> {
    this.sim.stop();
    await this.server.close();
  }
}

/**
 * Stands between wemalo and the connector: the connector's port is chosen when it starts, but its
 * public webhook URL (WEMALO_WEBHOOK_BASE_URL) must be known before. Also survives connector restarts.
 */
export class WebhookForwarder {
  target = '';
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<WebhookForwarder> {
    const port = await freePort();
    const holder: { f?: WebhookForwarder } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        fetch(`${holder.f?.target}${req.url}`, {
          method: req.method,
          headers: { 'content-type': 'application/json' },
          body: Buffer.concat(chunks),
        })
          .then(async (r) => {
            res.statusCode = r.status;
            res.end(await r.text());
          })
          .catch(() => {
            res.statusCode = 502;
            res.end();
          });
      });
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    const f = new WebhookForwarder(server, `http://127.0.0.1:${port}`);
    holder.f = f;
    return f;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** What the tests use to act as merchant / channel on the hub: NATS with the test prefix and RPC. */
export class Hub extends HubClient {
  static override async connect(iso: TestIsolation): Promise<Hub> {
    return new Hub(await HubClient.natsFor(iso, 'wemalo-test'), { actor: ACTOR });
  }
}

/**
 * The orders service build the tests run; `WEMALO_TEST_ORDERS_WORKSPACE` (relative to the repo root)
 * points at another build, e.g. a clean checkout while the tree's orders service is mid-change.
 */
export const ORDERS_WORKSPACE = process.env.WEMALO_TEST_ORDERS_WORKSPACE ?? 'services/orders';

export const ordersEnv = (iso: TestIsolation): Record<string, string> => env.orders(iso);

export function connectorEnv(iso: TestIsolation, webhookBaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return env.connector(iso, {
    LEASE_TTL_MS: '2000',
    WEMALO_WEBHOOK_BASE_URL: webhookBaseUrl,
    LOG_LEVEL: process.env.WEMALO_TEST_LOG_LEVEL ?? 'warn',
    ...extra,
  });
}

export function wemaloConnection(sim: WemaloSim, settings: Record<string, unknown> = {}) {
  return {
    type: 'wemalo',
    settings: { name: 'wemalo', apiBaseUrl: sim.apiBaseUrl, orderStateId: 3, ordersTag: 'wemalo', syncIntervalMinutes: 1, ...settings },
    secrets: { apiToken: WEMALO_TOKEN },
  };
}

export function shopOrder(
  externalId: string,
  positions: { sku: string; quantity: number; price?: number }[],
  over: Record<string, unknown> = {},
) {
  return channelOrderFixture(externalId, {
    positions: positions.map((p, i) => ({
      externalId: `${externalId}-p${i + 1}`,
      sku: p.sku,
      title: `Artikel ${p.sku}`,
      quantity: p.quantity,
      unitPrice: p.price ?? 10,
      totalPrice: (p.price ?? 10) * p.quantity,
      taxRate: 19,
    })),
    shippingAddress: {
      firstName: 'Erika',
      lastName: 'Mustermann',
      street: 'Heidestraße',
      houseNumber: '17',
      zip: '51147',
      city: 'Köln',
      countryIso2: 'DE',
      email: 'erika@example.org',
    },
    ...over,
  });
}

export { isolate, ServiceProcess, waitFor };
export const uid = () => randomBytes(3).toString('hex');
