import { randomUUID } from 'node:crypto';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { type AccountCreated, type Article, type ConnectionView, type Order, type Page, Rpc, Subjects } from '@orderhub/contracts';
import { createLogger, NatsClient, RpcClient, SubjectNamer } from '@orderhub/platform';
import type { TestIsolation } from './isolation';
import { waitFor } from './ports';

/** The problem of a refused RPC call (`application/problem+json` at the gateway). */
export interface RefusalProblem {
  status: number;
  title?: string;
  ruleId?: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

export interface HubClientOptions {
  /** NATS connection and logger name (shows in the server's connection list). */
  name?: string;
  /** The actor the account-scoped helpers send, as the gateway would (`{ accountId, actor, body }`). */
  actor?: string;
  /** Default RPC timeout (RpcClient's own default when unset). */
  timeoutMs?: number;
}

export type OrderHistoryEntry = NonNullable<Order['history']>[number];

/** A command/event envelope as services publish them (`envelope()` in the services). */
export function commandEnvelope<D>(subject: string, accountId: string, data: D, eventId: string = randomUUID()) {
  return { eventId, type: subject, version: 1 as const, occurredAt: new Date().toISOString(), accountId, data };
}

/** NATS under a test file's prefix, as a test-side client: the hub's RPC calls, durable commands, streams and connector KV. */
export class HubClient {
  readonly rpc: RpcClient;
  readonly actor: string;
  private readonly timeoutMs?: number;

  protected constructor(
    readonly nats: NatsClient,
    options: HubClientOptions = {},
  ) {
    this.rpc = new RpcClient(nats);
    this.actor = options.actor ?? 'test';
    this.timeoutMs = options.timeoutMs;
  }

  /** A connected NatsClient under the file's prefix (for subclasses that hold more than NATS). */
  static async natsFor(iso: Pick<TestIsolation, 'natsUrl' | 'natsPrefix'>, name = 'hub-test'): Promise<NatsClient> {
    const nats = new NatsClient(iso.natsUrl, new SubjectNamer(iso.natsPrefix), name, createLogger(name, 'silent'));
    await nats.connect();
    return nats;
  }

  static async connect(iso: Pick<TestIsolation, 'natsUrl' | 'natsPrefix'>, options: HubClientOptions = {}): Promise<HubClient> {
    return new HubClient(await HubClient.natsFor(iso, options.name), options);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read loosely typed JSON answers
  call<T = any>(subject: string, request: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    return this.rpc.call<T>(subject, request, timeoutMs);
  }

  /** An account-scoped call: `{ accountId, actor, body }`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read loosely typed JSON answers
  ask<T = any>(subject: string, accountId: string, body: unknown, timeoutMs?: number): Promise<T> {
    return this.call<T>(subject, { accountId, actor: this.actor, body }, timeoutMs);
  }

  /** The problem a refused call answered with (fails the test if the call succeeded). */
  async refusal(subject: string, request: unknown, timeoutMs = this.timeoutMs): Promise<RefusalProblem> {
    try {
      await this.rpc.call(subject, request, timeoutMs);
    } catch (err) {
      const problem = (err as { problem?: RefusalProblem }).problem;
      if (problem) return problem;
      throw err;
    }
    throw new Error(`${subject} was expected to be refused`);
  }

  createAccount(name: string): Promise<AccountCreated> {
    return this.call<AccountCreated>(Rpc.accountsCreate, { name });
  }

  /** A new account's id. */
  async account(name: string): Promise<string> {
    return (await this.createAccount(name)).accountId;
  }

  createConnection(accountId: string, body: unknown): Promise<ConnectionView> {
    return this.ask<ConnectionView>(Rpc.connectionsCreate, accountId, body);
  }

  upsertArticle(accountId: string, article: Record<string, unknown>): Promise<Article> {
    return this.ask<Article>(Rpc.articlesUpsert, accountId, article);
  }

  getOrder(accountId: string, orderId: string): Promise<Order> {
    return this.ask<Order>(Rpc.ordersGet, accountId, { orderId });
  }

  /** A connection's order by its channel id; undefined while the hub does not have it (404). */
  async findOrder(accountId: string, connectionId: string, externalId: string): Promise<Order | undefined> {
    try {
      return await this.ask<Order>(Rpc.ordersFindByExternalId, accountId, { connectionId, externalId });
    } catch (err) {
      if ((err as { problem?: { status: number } }).problem?.status === 404) return undefined;
      throw err;
    }
  }

  /** Waits until the hub has the order (and `until` holds for it). */
  waitOrder(
    accountId: string,
    connectionId: string,
    externalId: string,
    until: (o: Order) => boolean = () => true,
    timeoutMs = 20_000,
  ): Promise<Order> {
    return waitFor(
      async () => {
        const o = await this.findOrder(accountId, connectionId, externalId);
        return o && until(o) ? o : undefined;
      },
      { timeoutMs, intervalMs: 200, what: `order ${externalId}` },
    );
  }

  /** Every order of an account (of one connection), through all pages. */
  async listOrders(accountId: string, connectionId?: string): Promise<Order[]> {
    const all: Order[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.ask<Page<Order>>(Rpc.ordersList, accountId, { connectionId, cursor, limit: 200 });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  async history(accountId: string, orderId: string): Promise<OrderHistoryEntry[]> {
    return (await this.getOrder(accountId, orderId)).history ?? [];
  }

  /** Waits until the order's history holds a write-back record of a connector that `match` accepts. */
  activity(accountId: string, orderId: string, match: (h: OrderHistoryEntry) => boolean, what: string): Promise<OrderHistoryEntry> {
    return waitFor(async () => (await this.history(accountId, orderId)).find((h) => h.actor.startsWith('connector:') && match(h)), {
      timeoutMs: 20_000,
      what,
      intervalMs: 200,
    });
  }

  changeTags(accountId: string, orderId: string, add: string[], remove: string[] = []): Promise<Order> {
    return this.ask<Order>(Rpc.ordersChangeTags, accountId, { orderId, add, remove });
  }

  changeState(accountId: string, orderId: string, state: number): Promise<Order> {
    return this.ask<Order>(Rpc.ordersChangeState, accountId, { orderId, state });
  }

  /** Publishes an envelope to JetStream with `Nats-Msg-Id` = its event id. */
  async publish(subject: string, envelope: { eventId: string }): Promise<void> {
    await this.nats.js.publish(this.nats.names.subject(subject), JSON.stringify(envelope), { msgID: envelope.eventId });
  }

  /** A command (or event) as a service would publish it; returns its event id. */
  async publishCommand(subject: string, accountId: string, data: object, eventId: string = randomUUID()): Promise<string> {
    await this.publish(subject, commandEnvelope(subject, accountId, data, eventId));
    return eventId;
  }

  /** What a connector does (HUB-1): hand a channel order in as a durable `channel.order.import` command. */
  publishImport(accountId: string, connectionId: string, channel: string, order: object, eventId: string = randomUUID()): Promise<string> {
    return this.publishCommand(Subjects.channelOrderImport, accountId, { connectionId, channel, order }, eventId);
  }

  /** Hands a channel order in and waits until the hub has it. */
  async importOrder(
    accountId: string,
    connectionId: string,
    channel: string,
    order: { externalId: string } & Record<string, unknown>,
    eventId: string = randomUUID(),
  ): Promise<Order> {
    await this.publishImport(accountId, connectionId, channel, order, eventId);
    return this.waitOrder(accountId, connectionId, order.externalId);
  }

  /** Every message a stream holds for one subject, in order (what a durable consumer would receive). */
  async streamMessages<M = { eventId: string; data: Record<string, unknown> }>(subject: string): Promise<M[]> {
    const stream = this.nats.streamFor(subject);
    const consumer = await this.nats.jsm.consumers.add(stream, {
      filter_subject: this.nats.names.subject(subject),
      ack_policy: AckPolicy.None,
      deliver_policy: DeliverPolicy.All,
      inactive_threshold: 30_000_000_000,
    });
    const c = await this.nats.js.consumers.get(stream, consumer.name);
    const out: M[] = [];
    let pending = consumer.num_pending;
    while (pending > 0) {
      const batch = await c.fetch({ max_messages: Math.min(pending, 500), expires: 2_000 });
      let got = 0;
      for await (const m of batch) {
        out.push(m.json<M>());
        got++;
      }
      if (!got) break;
      pending -= got;
    }
    await this.nats.jsm.consumers.delete(stream, consumer.name).catch(() => undefined);
    return out;
  }

  /**
   * Waits until a durable consumer has nothing left to deliver and nothing unacknowledged: the
   * observable end of "every message was handled", instead of sleeping and hoping.
   */
  async consumerSettled(subject: string, durable: string, timeoutMs = 30_000): Promise<void> {
    const stream = this.nats.streamFor(subject);
    await waitFor(
      async () => {
        const info = await this.nats.jsm.consumers.info(stream, this.nats.names.durable(durable));
        return info.num_pending === 0 && info.num_ack_pending === 0;
      },
      { timeoutMs, what: `consumer ${durable} settled` },
    );
  }

  /** One entry of a connector's KV bucket (`connector_<type>`), raw, as it is stored. */
  async connectorEntry(connectorType: string, key: string): Promise<string | undefined> {
    const kv = await new Kvm(this.nats.nc).open(this.nats.names.bucket(`connector_${connectorType}`));
    const entry = await kv.get(key);
    return entry && entry.length > 0 ? entry.string() : undefined;
  }

  /** Keys of a connector's KV bucket matching a filter (e.g. `token.>`). */
  async connectorKeys(connectorType: string, filter: string): Promise<string[]> {
    const kv = await new Kvm(this.nats.nc).open(this.nats.names.bucket(`connector_${connectorType}`));
    const keys: string[] = [];
    for await (const key of await kv.keys(filter)) keys.push(key);
    return keys;
  }

  /** A connector's checkpoint for a connection (NATS KV `connector_<type>`, key `checkpoint.<connectionId>`). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each connector keeps its own checkpoint shape
  async checkpoint(connectorType: string, connectionId: string): Promise<any> {
    const kv = await new Kvm(this.nats.nc).open(this.nats.names.bucket(`connector_${connectorType}`));
    const entry = await kv.get(`checkpoint.${connectionId}`);
    return entry && entry.length > 0 ? entry.json() : undefined;
  }

  async close(): Promise<void> {
    await this.nats.drain();
  }
}
