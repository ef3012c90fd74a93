import { randomBytes, randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { Subjects } from '@orderhub/contracts';
import { createLogger, NatsClient, RpcClient, SubjectNamer } from '@orderhub/platform';
import { ServiceProcess, type TestIsolation } from '@orderhub/testkit';

/** A 32-byte key ring for the service under test. */
export const SECRETS_KEY = randomBytes(32).toString('base64');

export function ordersEnv(iso: TestIsolation, extra: Record<string, string> = {}): Record<string, string> {
  return {
    MONGO_URL: iso.mongoUrl,
    NATS_URL: iso.natsUrl,
    NATS_PREFIX: iso.natsPrefix,
    SECRETS_KEYS: `k1:${SECRETS_KEY}`,
    SECRETS_ACTIVE_KEY: 'k1',
    OUTBOX_POLL_MS: '100',
    OUTBOX_LEASE_MS: '3000',
    ...extra,
  };
}

export const startOrders = (iso: TestIsolation, extra: Record<string, string> = {}) =>
  ServiceProcess.start('services/orders', ordersEnv(iso, extra));

/** What a connector or the gateway would hold: NATS with the test prefix, RPC client, raw DB for assertions. */
export class Hub {
  private constructor(
    readonly nats: NatsClient,
    readonly rpc: RpcClient,
    readonly db: mongoose.Connection,
  ) {}

  static async connect(iso: TestIsolation): Promise<Hub> {
    const nats = new NatsClient(iso.natsUrl, new SubjectNamer(iso.natsPrefix), 'orders-test', createLogger('orders-test', 'silent'));
    await nats.connect();
    const db = await mongoose.createConnection(iso.mongoUrl).asPromise();
    return new Hub(nats, new RpcClient(nats), db);
  }

  call<T>(subject: string, request: unknown): Promise<T> {
    return this.rpc.call<T>(subject, request);
  }

  /** The problem a refused call answered with (fails the test if the call succeeded). */
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

  async publishImport(accountId: string, connectionId: string, channel: string, order: object, eventId = randomUUID()): Promise<void> {
    const envelope = {
      eventId,
      type: Subjects.channelOrderImport,
      version: 1,
      occurredAt: new Date().toISOString(),
      accountId,
      data: { connectionId, channel, order },
    };
    await this.nats.js.publish(this.nats.names.subject(Subjects.channelOrderImport), JSON.stringify(envelope), { msgID: eventId });
  }

  async publishCommand(subject: string, accountId: string, data: object, eventId = randomUUID()): Promise<string> {
    const envelope = { eventId, type: subject, version: 1, occurredAt: new Date().toISOString(), accountId, data };
    await this.nats.js.publish(this.nats.names.subject(subject), JSON.stringify(envelope), { msgID: eventId });
    return eventId;
  }

  /** Every message a stream holds for one subject, in order (what a durable consumer would receive). */
  async streamMessages(subject: string): Promise<{ eventId: string; data: Record<string, unknown> }[]> {
    const stream = this.nats.streamFor(subject);
    const consumer = await this.nats.jsm.consumers.add(stream, {
      filter_subject: this.nats.names.subject(subject),
      ack_policy: AckPolicy.None,
      deliver_policy: DeliverPolicy.All,
      inactive_threshold: 30_000_000_000,
    });
    const c = await this.nats.js.consumers.get(stream, consumer.name);
    const out: { eventId: string; data: Record<string, unknown> }[] = [];
    let pending = consumer.num_pending;
    while (pending > 0) {
      const batch = await c.fetch({ max_messages: Math.min(pending, 500), expires: 2_000 });
      let got = 0;
      for await (const m of batch) {
        out.push(m.json());
        got++;
      }
      if (!got) break;
      pending -= got;
    }
    await this.nats.jsm.consumers.delete(stream, consumer.name).catch(() => undefined);
    return out;
  }

  async close(): Promise<void> {
    await this.db.close();
    await this.nats.drain();
  }
}

export function channelOrder(externalId: string, over: Record<string, unknown> = {}) {
  return {
    externalId,
    orderNumber: `ON-${externalId}`,
    state: 3,
    orderedAt: '2025-03-01T10:00:00.000Z',
    currency: 'EUR',
    positions: [
      { externalId: `${externalId}-p1`, sku: 'SKU-1', title: 'Shirt', quantity: 2, unitPrice: 10, totalPrice: 20 },
      { externalId: `${externalId}-p2`, title: 'Gift wrap', quantity: 1, unitPrice: 2.5, totalPrice: 2.5 },
    ],
    buyer: { firstName: 'Erika', lastName: 'Mustermann', email: 'erika@example.org' },
    shippingAddress: { street: 'Hauptstr.', houseNumber: '1', zip: '10115', city: 'Berlin', countryIso2: 'DE' },
    shippingCost: 4.9,
    paymentMethod: 'PayPal',
    ...over,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
