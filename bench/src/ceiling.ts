/**
 * The ceiling a service pipeline is compared with: raw JetStream publish + consume + MongoDB upsert by
 * `_id` of N generated orders, no service in between, on the same backends. Shared by orders-import
 * and e2e, so both divide by the same figure.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { MongoClient } from 'mongodb';
import { Subjects, type ChannelOrderImport } from '@orderhub/contracts';
import { withDatabase } from '@orderhub/testkit';
import { inParallel } from './backends';
import { generateChannelOrder } from './order-generator';
import { summarize } from './stats';

export interface CeilingResult {
  orders: number;
  ordersPerSecond: number;
  seconds: number;
  latencyMs: ReturnType<typeof summarize>;
}

export async function ceiling(natsUrl: string, mongoUrl: string, n: number, inFlight = 256): Promise<CeilingResult> {
  const prefix = `ceil${randomBytes(3).toString('hex')}`;
  const nc = await connect({ servers: natsUrl });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await jsm.streams.add({ name: `${prefix}_CEIL`, subjects: [`${prefix}.>`] });
  await jsm.consumers.add(`${prefix}_CEIL`, { durable_name: 'ceil', ack_policy: AckPolicy.Explicit, max_ack_pending: 10_000 });
  const mongo = await MongoClient.connect(withDatabase(mongoUrl, `${prefix}_db`));
  const orders = mongo.db().collection('orders');
  const latencies: number[] = [];
  const started = Date.now();
  const consumer = await js.consumers.get(`${prefix}_CEIL`, 'ceil');
  const done = (async () => {
    let seen = 0;
    const messages = await consumer.consume({ max_messages: 512 });
    for await (const m of messages) {
      const cmd = m.json<ChannelOrderImport & { publishedAt: number }>();
      // Keyed by the import key as _id: the cheapest idempotent upsert on MongoDB and FerretDB alike.
      await orders.updateOne(
        { _id: `${cmd.accountId}:${cmd.data.connectionId}:${cmd.data.order.externalId}` as never },
        { $set: { ...cmd.data.order, rawPayload: JSON.stringify(cmd.data.order), updatedAt: new Date() } },
        { upsert: true },
      );
      m.ack();
      latencies.push(Date.now() - cmd.publishedAt);
      if (++seen >= n) break;
    }
  })();
  await inParallel(
    Array.from({ length: n }, (_, i) => i),
    inFlight,
    async (i) => {
      const order = generateChannelOrder(i);
      const cmd = {
        eventId: randomUUID(),
        type: Subjects.channelOrderImport,
        version: 1,
        occurredAt: new Date().toISOString(),
        accountId: 'bench',
        data: { connectionId: 'c1', channel: 'jimdo', order },
        publishedAt: Date.now(),
      };
      await js.publish(`${prefix}.channel.order.import`, JSON.stringify(cmd), { msgID: cmd.eventId });
    },
  );
  await done;
  const seconds = (Date.now() - started) / 1000;
  await jsm.streams.delete(`${prefix}_CEIL`);
  await mongo.db().dropDatabase();
  await mongo.close();
  await nc.close();
  return { orders: n, ordersPerSecond: n / seconds, seconds, latencyMs: summarize(latencies) };
}
