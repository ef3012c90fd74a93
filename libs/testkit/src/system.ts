import { randomBytes } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { freePort } from './ports';
import { isolate, withDatabase, type TestIsolation } from './isolation';
import { ServiceProcess } from './service-process';

/** The simulators listen on loopback: connection URLs may name them (the orders service refuses internal hosts otherwise). */
export const SIMULATOR_HOSTS = '127.0.0.1,localhost';

export const SERVICE_NAMES = [
  'orders',
  'gateway',
  'channel-otto',
  'channel-serverspot',
  'mail-ingest',
  'fulfillment-wemalo',
  'webhooks',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
export const SIMULATOR_NAMES = ['otto-market', 'custom-shop', 'wemalo'] as const;
export type SimulatorName = (typeof SIMULATOR_NAMES)[number];

export interface SystemOptions {
  services?: readonly ServiceName[];
  simulators?: readonly SimulatorName[];
  /** Extra env per service, e.g. `{ 'channel-otto': { POLL_TICK_MS: '200' } }`. */
  env?: Partial<Record<ServiceName | SimulatorName, Record<string, string>>>;
  /** Private backends (e.g. from spawnNatsServer/spawnFerretDb, to restart them mid-test); default: the run's shared ones. */
  backends?: { mongoUrl: string; natsUrl: string };
}

/** Core-NATS RPC to the orders service under a test prefix, with the `{ ok, data | problem }` reply. */
export class TestRpc {
  private constructor(
    readonly nc: NatsConnection,
    private readonly prefix: string,
  ) {}

  static async connect(iso: Pick<TestIsolation, 'natsUrl' | 'natsPrefix'>): Promise<TestRpc> {
    return new TestRpc(await connect({ servers: iso.natsUrl }), iso.natsPrefix);
  }

  async call<T>(subject: string, body: unknown, timeoutMs = 15_000): Promise<T> {
    const reply = (await this.nc.request(`${this.prefix}.${subject}`, JSON.stringify(body), { timeout: timeoutMs })).json<
      { ok: true; data: T } | { ok: false; problem: { status: number; title: string; detail?: string } }
    >();
    if (!reply.ok)
      throw Object.assign(new Error(`${subject}: ${reply.problem.status} ${reply.problem.detail ?? reply.problem.title}`), {
        problem: reply.problem,
      });
    return reply.data;
  }

  async close(): Promise<void> {
    await this.nc.close();
  }
}

/**
 * A whole Order Hub on one machine for system tests and benchmarks: every service and simulator as
 * its own process from its build, on free ports, under one NATS prefix and fresh databases.
 */
export class RunningSystem {
  readonly services = new Map<ServiceName, ServiceProcess>();
  readonly simulators = new Map<SimulatorName, ServiceProcess>();
  /** Further replicas of a service (`addReplica`), beside the one in `services`. */
  readonly replicas: ServiceProcess[] = [];
  smtpPort = 0;

  private constructor(
    readonly iso: TestIsolation,
    readonly secretsKeys: string,
    readonly rpc: TestRpc,
    private readonly options: SystemOptions,
  ) {}

  /** One more process of a running service, on the same backends and prefix, with that service's env. */
  async addReplica(name: Exclude<ServiceName, 'mail-ingest'>, extra: Record<string, string> = {}): Promise<ServiceProcess> {
    const replica = await ServiceProcess.start(`services/${name}`, await this.envFor(name, { ...this.options.env?.[name], ...extra }));
    this.replicas.push(replica);
    return replica;
  }

  static async start(label: string, options: SystemOptions = {}): Promise<RunningSystem> {
    const iso = isolate(label, options.backends);
    const system = new RunningSystem(iso, `k1:${randomBytes(32).toString('base64')}`, await TestRpc.connect(iso), options);
    try {
      for (const name of options.simulators ?? SIMULATOR_NAMES) {
        system.simulators.set(name, await ServiceProcess.startSimulator(`simulators/${name}`, options.env?.[name] ?? {}));
      }
      for (const name of startOrder(options.services ?? SERVICE_NAMES)) {
        system.services.set(name, await ServiceProcess.start(`services/${name}`, await system.envFor(name, options.env?.[name] ?? {})));
      }
    } catch (err) {
      await system.stop();
      throw err;
    }
    return system;
  }

  service(name: ServiceName): ServiceProcess {
    const s = this.services.get(name);
    if (!s) throw new Error(`${name} is not running in this system`);
    return s;
  }

  simulator(name: SimulatorName): ServiceProcess {
    const s = this.simulators.get(name);
    if (!s) throw new Error(`simulator ${name} is not running in this system`);
    return s;
  }

  /** Everything the processes printed: e.g. to check that no secret ever reached a log line. */
  allLogs(): string {
    return [...this.services.values(), ...this.replicas, ...this.simulators.values()].map((p) => p.logs()).join('\n');
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.services.values(), ...this.replicas].map((s) => s.stop()));
    await Promise.allSettled([...this.simulators.values()].map((s) => s.stop()));
    await this.rpc.close().catch(() => undefined);
  }

  private async envFor(name: ServiceName, extra: Record<string, string>): Promise<Record<string, string>> {
    const common = {
      NATS_URL: this.iso.natsUrl,
      NATS_PREFIX: this.iso.natsPrefix,
      SECRETS_KEYS: this.secretsKeys,
      SECRETS_ACTIVE_KEY: 'k1',
      LOG_LEVEL: 'info',
    };
    switch (name) {
      case 'orders':
        return { ...common, MONGO_URL: this.iso.mongoUrl, CONNECTION_URL_ALLOW_HOSTS: SIMULATOR_HOSTS, ...extra };
      case 'mail-ingest':
        this.smtpPort = await freePort();
        return {
          ...common,
          MONGO_URL: withDatabase(this.iso.mongoUrl, `${this.iso.dbName}_mail`),
          SMTP_HOST: '127.0.0.1',
          SMTP_PORT: String(this.smtpPort),
          FORWARD_SMTP_PORT: String(await freePort()),
          ...extra,
        };
      case 'webhooks':
        return {
          ...common,
          MONGO_URL: withDatabase(this.iso.mongoUrl, `${this.iso.dbName}_webhooks`),
          WEBHOOK_POLL_MS: '200',
          WEBHOOK_RETRY_BASE_MS: '200',
          WEBHOOK_RETRY_MAX_MS: '2000',
          ...extra,
        };
      case 'gateway': {
        // uploads (`POST /imports/csv`) are proxied to mail-ingest's HTTP API, started before the gateway
        const mailIngest = this.services.get('mail-ingest');
        return { ...common, ...(mailIngest ? { MAIL_INGEST_URL: mailIngest.url } : {}), ...extra };
      }
      default:
        return { ...common, POLL_TICK_MS: '250', ...extra };
    }
  }
}

/** mail-ingest before the gateway: the gateway is told mail-ingest's (free, random) port at start. */
function startOrder(names: readonly ServiceName[]): ServiceName[] {
  const rank = (n: ServiceName) => (n === 'gateway' ? 1 : 0);
  return [...names].sort((a, b) => rank(a) - rank(b));
}
