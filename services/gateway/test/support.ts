import { randomBytes } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstream } from '@nats-io/jetstream';
import { type AccountCreated, ChannelOrderImportCommand, type ChannelOrder, type RpcReply, Rpc, Subjects } from '@orderhub/contracts';
import { freePort, isolate, ServiceProcess, SIMULATOR_HOSTS, type TestIsolation, withDatabase } from '@orderhub/testkit';

export const secretsEnv = () => ({ SECRETS_KEYS: `k1:${randomBytes(32).toString('base64')}`, SECRETS_ACTIVE_KEY: 'k1' });

export async function startOrders(iso: TestIsolation): Promise<ServiceProcess> {
  return ServiceProcess.start('services/orders', {
    MONGO_URL: iso.mongoUrl,
    NATS_URL: iso.natsUrl,
    NATS_PREFIX: iso.natsPrefix,
    CONNECTION_URL_ALLOW_HOSTS: SIMULATOR_HOSTS,
    ...secretsEnv(),
  });
}

/** mail-ingest with its own database (never the orders one); SMTP on a free port, no forward copies. */
export async function startMailIngest(iso: TestIsolation): Promise<{ service: ServiceProcess; smtpPort: number }> {
  const smtpPort = await freePort();
  const service = await ServiceProcess.start('services/mail-ingest', {
    MONGO_URL: withDatabase(iso.mongoUrl, `${iso.dbName}_mail`),
    NATS_URL: iso.natsUrl,
    NATS_PREFIX: iso.natsPrefix,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    FORWARD_ENABLED: 'false',
  });
  return { service, smtpPort };
}

export async function startGateway(iso: TestIsolation, env: Record<string, string> = {}): Promise<ServiceProcess> {
  return ServiceProcess.start('services/gateway', { NATS_URL: iso.natsUrl, NATS_PREFIX: iso.natsPrefix, ...env });
}

/** A test-side NATS connection under the file's prefix: creates accounts, imports orders, plays connectors. */
export class TestNats {
  private constructor(
    readonly nc: NatsConnection,
    readonly prefix: string,
  ) {}

  static async connect(iso: TestIsolation): Promise<TestNats> {
    return new TestNats(await connect({ servers: iso.natsUrl }), iso.natsPrefix);
  }

  subject(logical: string): string {
    return `${this.prefix}.${logical}`;
  }

  async createAccount(name: string): Promise<AccountCreated> {
    const msg = await this.nc.request(this.subject(Rpc.accountsCreate), JSON.stringify({ name }), { timeout: 10_000 });
    const reply = msg.json<RpcReply<AccountCreated>>();
    if (!reply.ok) throw new Error(`account create refused: ${JSON.stringify(reply.problem)}`);
    return reply.data;
  }

  /** What a connector does (HUB-1): hand the order in over JetStream. */
  async importOrder(accountId: string, connectionId: string, channel: string, order: ChannelOrder): Promise<void> {
    const eventId = `import:${connectionId}:${order.externalId}:${randomBytes(4).toString('hex')}`;
    const command = ChannelOrderImportCommand.parse({
      eventId,
      type: Subjects.channelOrderImport,
      version: 1,
      occurredAt: new Date().toISOString(),
      accountId,
      data: { connectionId, channel, order },
    });
    await jetstream(this.nc).publish(this.subject(Subjects.channelOrderImport), JSON.stringify(command), { msgID: eventId });
  }

  /** Answers every request on `logical` with `reply(request)`; returns the requests seen. */
  async respond(logical: string, reply: (request: unknown) => unknown): Promise<{ requests: unknown[]; stop(): void }> {
    const sub = this.nc.subscribe(this.subject(logical));
    const requests: unknown[] = [];
    void (async () => {
      for await (const m of sub) {
        const request = m.json();
        requests.push(request);
        m.respond(JSON.stringify(reply(request)));
      }
    })();
    await this.nc.flush(); // the server knows the interest before the test sends a request
    return { requests, stop: () => sub.unsubscribe() };
  }

  async close(): Promise<void> {
    await this.nc.drain();
  }
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string | string[]>;
  body?: unknown;
  /** Sent as is, with `contentType` (default: JSON of `body`). */
  rawBody?: string | Buffer | ReadableStream<Uint8Array>;
  contentType?: string;
  /** Sent as multipart/form-data (fetch sets the boundary). */
  form?: FormData;
  key?: string | null;
  headers?: Record<string, string>;
}

/**
 * HTTP client for the gateway that records which (method, path template) pairs the tests called,
 * so a test can fail when a route of the OpenAPI document has no request test.
 */
export class ApiClient {
  readonly covered = new Set<string>();

  constructor(
    readonly baseUrl: string,
    readonly defaultKey?: string,
  ) {}

  withKey(key: string): ApiClient {
    const client = new ApiClient(this.baseUrl, key);
    (client as { covered: Set<string> }).covered = this.covered;
    return client;
  }

  async call(method: string, template: string, options: CallOptions = {}): Promise<ApiResponse> {
    this.covered.add(`${method.toUpperCase()} ${template}`);
    let path = template;
    for (const [name, value] of Object.entries(options.params ?? {})) path = path.replace(`{${name}}`, encodeURIComponent(value));
    const url = new URL(`/api/v1${path}`, this.baseUrl);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, v);
    }
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? this.defaultKey : options.key;
    if (key) headers.authorization = `Bearer ${key}`;
    let body: string | Buffer | ReadableStream<Uint8Array> | FormData | undefined;
    if (options.form) body = options.form;
    else if (options.rawBody !== undefined) {
      body = options.rawBody;
      if (options.contentType) headers['content-type'] = options.contentType;
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    // a stream body goes out chunked (no Content-Length); fetch wants duplex for that
    const res = await fetch(url, { method, headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }
}

export function ottoOrder(externalId: string, overrides: Partial<ChannelOrder> = {}): ChannelOrder {
  return {
    externalId,
    orderNumber: `OTTO-${externalId}`,
    state: 3,
    orderedAt: '2026-03-01T10:00:00.000Z',
    currency: 'EUR',
    positions: [{ externalId: `${externalId}-p1`, sku: 'SKU-1', title: 'Shirt', quantity: 1, unitPrice: 19.99, totalPrice: 19.99 }],
    buyer: { firstName: 'Erika', lastName: 'Mustermann', email: 'erika@example.org' },
    shippingCost: 4.95,
    paymentMethod: 'OTTO Payments',
    payments: [],
    comments: [],
    ...overrides,
  };
}

/** The orders service and one gateway (rate limit out of the way), an account and its API client. */
export interface GatewayStack {
  iso: TestIsolation;
  orders: ServiceProcess;
  gateway: ServiceProcess;
  nats: TestNats;
  account: AccountCreated;
  api: ApiClient;
}

/** Starts a GatewayStack before the describe block's tests and stops it after them. */
export function useGatewayStack(label: string, company: string): GatewayStack {
  const stack = {} as GatewayStack;
  beforeAll(async () => {
    stack.iso = isolate(label);
    stack.orders = await startOrders(stack.iso);
    stack.gateway = await startGateway(stack.iso, { RATE_LIMIT_PER_SECOND: '1000', RATE_LIMIT_BURST: '1000' });
    stack.nats = await TestNats.connect(stack.iso);
    stack.account = await stack.nats.createAccount(company);
    stack.api = new ApiClient(stack.gateway.url, stack.account.apiKey);
  }, 120_000);
  afterAll(async () => {
    await stack.nats?.close();
    await stack.gateway?.stop();
    await stack.orders?.stop();
  });
  return stack;
}
