import { randomBytes, randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstream } from '@nats-io/jetstream';
import { type ChannelOrderImport, Rpc, Subjects } from '@orderhub/contracts';
import { ServiceProcess, waitFor, withDatabase } from '@orderhub/testkit';
import { benchBackends, deployedNodeOptions, inParallel } from './backends';
import { generateChannelOrder } from './order-generator';

/**
 * The orders service and the gateway on private backends, as deployed (NODE_OPTIONS from k8s), with
 * what the API benchmarks need around them: RPC calls, accounts with a Jimdo connection, orders
 * imported as a connector sends them.
 */
export class HubUnderBench {
  private constructor(
    readonly prefix: string,
    readonly mongoUrl: string,
    private readonly ordersEnv: Record<string, string>,
    public orders: ServiceProcess,
    readonly gateway: ServiceProcess,
    private readonly nc: NatsConnection,
    private readonly stopBackends: () => Promise<void>,
  ) {}

  static async start(gatewayEnv: Record<string, string> = {}): Promise<HubUnderBench> {
    const backends = await benchBackends();
    const prefix = `bench${randomBytes(3).toString('hex')}`;
    const common = {
      NATS_URL: backends.natsUrl,
      NATS_PREFIX: prefix,
      SECRETS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      SECRETS_ACTIVE_KEY: 'k1',
      LOG_LEVEL: 'warn',
    };
    const ordersEnv = { ...deployedNodeOptions('orders'), ...common, MONGO_URL: withDatabase(backends.mongoUrl, `${prefix}_db`) };
    const orders = await ServiceProcess.start('services/orders', ordersEnv);
    const gateway = await ServiceProcess.start('services/gateway', { ...deployedNodeOptions('gateway'), ...common, ...gatewayEnv });
    const nc = await connect({ servers: backends.natsUrl });
    return new HubUnderBench(prefix, backends.mongoUrl, ordersEnv, orders, gateway, nc, backends.stop);
  }

  get databaseName(): string {
    return `${this.prefix}_db`;
  }

  async rpc<T>(subject: string, body: unknown): Promise<T> {
    const reply = (await this.nc.request(`${this.prefix}.${subject}`, JSON.stringify(body), { timeout: 120_000 })).json<{
      ok: boolean;
      data: T;
      problem?: unknown;
    }>();
    if (!reply.ok) throw new Error(`${subject}: ${JSON.stringify(reply.problem)}`);
    return reply.data;
  }

  /** A new account with one Jimdo connection and its API key. */
  async account(name: string): Promise<{ accountId: string; apiKey: string; connectionId: string }> {
    const { accountId, apiKey } = await this.rpc<{ accountId: string; apiKey: string }>(Rpc.accountsCreate, { name });
    const connection = await this.rpc<{ id: string }>(Rpc.connectionsCreate, {
      accountId,
      actor: 'bench',
      body: { type: 'jimdo', settings: { name: `${name} shop`, forwardTo: 'bench@example.test' }, secrets: {} },
    });
    return { accountId, apiKey, connectionId: connection.id };
  }

  /** Orders as the account's number of stored orders says (the orders service's count). */
  async storedOrders(accountId: string): Promise<number> {
    return (await this.rpc<{ totalRows: number }>(Rpc.ordersPage, { accountId, actor: 'bench', body: { pageSize: 1 } })).totalRows;
  }

  /** `count` new orders sent as `channel.order.import` commands; resolves once the orders service lists them all. */
  async importOrders(account: { accountId: string; connectionId: string }, count: number, from = 0): Promise<void> {
    const before = await this.storedOrders(account.accountId);
    const js = jetstream(this.nc);
    await inParallel(
      Array.from({ length: count }, (_, i) => from + i),
      256,
      async (i) => {
        const cmd: ChannelOrderImport = {
          eventId: randomUUID(),
          type: Subjects.channelOrderImport,
          version: 1,
          occurredAt: new Date().toISOString(),
          accountId: account.accountId,
          data: { connectionId: account.connectionId, channel: 'jimdo', order: generateChannelOrder(i) },
        };
        await js.publish(`${this.prefix}.${Subjects.channelOrderImport}`, JSON.stringify(cmd), { msgID: cmd.eventId });
      },
    );
    await waitFor(async () => (await this.storedOrders(account.accountId)) >= before + count, {
      what: `${count} orders imported`,
      timeoutMs: 4 * 3600_000,
      intervalMs: 2_000,
    });
  }

  async restartOrders(): Promise<void> {
    await this.orders.stop();
    this.orders = await ServiceProcess.start('services/orders', this.ordersEnv);
  }

  async stop(): Promise<void> {
    await this.nc.close();
    await this.gateway.stop();
    await this.orders.stop();
    await this.stopBackends();
  }
}
