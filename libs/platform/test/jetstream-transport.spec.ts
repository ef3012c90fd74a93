import 'reflect-metadata';
import { Controller, type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Subjects } from '@orderhub/contracts';
import { isolate, waitFor } from '@orderhub/testkit';
import { BaseConfigSchema, DeadLetterQueue, DlqHeaders, EventPublisher, NatsClient, PlatformModule, startService } from '../src';

const PingSchema = z.object({ eventId: z.string(), accountId: z.string(), n: z.number().int() });
const handled: number[] = [];

@Controller()
class PingConsumer {
  @EventPattern(Subjects.orderImported, { durable: 'smoke_ping', schema: PingSchema, maxDeliver: 3, backoffMs: [50] })
  onPing(@Payload() ping: z.infer<typeof PingSchema>) {
    handled.push(ping.n);
  }
}

const flaky = { broken: true, handled: [] as number[] };

@Controller()
class FlakyConsumer {
  @EventPattern(Subjects.orderUpdated, { durable: 'flaky', schema: PingSchema, maxDeliver: 2, backoffMs: [20] })
  onUpdated(@Payload() ping: z.infer<typeof PingSchema>) {
    if (flaky.broken) throw new Error('downstream bug');
    flaky.handled.push(ping.n);
  }
}

function appModule(config: z.infer<typeof BaseConfigSchema>, withConsumer: boolean): DynamicModule {
  @Module({ imports: [PlatformModule.forRoot({ service: 'smoke', config })], controllers: withConsumer ? [PingConsumer] : [] })
  class SmokeModule {}
  return { module: SmokeModule };
}

describe('platform JetStream transport (real NATS)', () => {
  const iso = isolate('smoke');
  const config = BaseConfigSchema.parse({ HTTP_PORT: '0', NATS_URL: iso.natsUrl, NATS_PREFIX: iso.natsPrefix, LOG_LEVEL: 'silent' });
  let publisherApp: INestApplication;
  let consumerApp: INestApplication | undefined;

  beforeAll(async () => {
    publisherApp = await startService('smoke-publisher', config, appModule(config, false));
  });

  afterAll(async () => {
    await consumerApp?.close();
    await publisherApp.close();
  });

  const publish = (n: number, eventId = randomUUID()) =>
    publisherApp.get(EventPublisher).publish(Subjects.orderImported, { eventId, accountId: 'acc-1', n } as never);

  it('delivers each published event exactly once, also across a consumer restart and a duplicate publish', async () => {
    consumerApp = await startService('smoke-consumer', config, appModule(config, true));
    await publish(1);
    await waitFor(() => handled.includes(1), { what: 'first event handled' });

    await consumerApp.close();
    consumerApp = undefined;
    const duplicateId = randomUUID();
    await publish(2, duplicateId);
    await publish(2, duplicateId); // outbox re-publish after a crash: same Nats-Msg-Id
    await publish(3);

    consumerApp = await startService('smoke-consumer', config, appModule(config, true));
    await waitFor(() => handled.includes(3), { what: 'events after restart' });
    await new Promise((r) => setTimeout(r, 300));
    expect(handled.sort()).toEqual([1, 2, 3]);
  });

  it('parks a malformed payload in the dead-letter stream with the reason', async () => {
    const nats = publisherApp.get(NatsClient);
    await nats.js.publish(
      nats.names.subject(Subjects.orderImported),
      JSON.stringify({ eventId: 'bad-1', accountId: 'acc-1', n: 'not a number' }),
      {
        msgID: 'bad-1',
      },
    );
    const dlqStream = nats.names.stream('DLQ');
    const parked = await waitFor(
      async () => {
        const info = await nats.jsm.streams.info(dlqStream);
        if (info.state.messages === 0) return undefined;
        return nats.jsm.streams.getMessage(dlqStream, { last_by_subj: nats.names.subject(`dlq.${Subjects.orderImported}`) });
      },
      { what: 'dead-lettered message' },
    );
    expect(parked?.header.get(DlqHeaders.reason)).toMatch(/n: .*number/i);
    expect(parked?.header.get(DlqHeaders.subject)).toBe(Subjects.orderImported);
    expect(parked?.json<{ n: unknown }>().n).toBe('not a number');
    expect(handled).not.toContain('not a number');
  });
});

describe('dead-letter replay (npm run dlq)', () => {
  const iso = isolate('dlq');
  const config = BaseConfigSchema.parse({ HTTP_PORT: '0', NATS_URL: iso.natsUrl, NATS_PREFIX: iso.natsPrefix, LOG_LEVEL: 'silent' });
  let app: INestApplication;

  beforeAll(async () => {
    @Module({ imports: [PlatformModule.forRoot({ service: 'dlq-test', config })], controllers: [FlakyConsumer] })
    class DlqModule {}
    app = await startService('dlq-test', config, { module: DlqModule });
  });
  afterAll(() => app.close());

  it('parks a message after max deliveries with the reason, and replay brings it back after the fix', async () => {
    const nats = app.get(NatsClient);
    const dlq = new DeadLetterQueue(nats);
    flaky.broken = true;
    await nats.js.publish(nats.names.subject(Subjects.orderUpdated), JSON.stringify({ eventId: 'e-41', accountId: 'a', n: 41 }), {
      msgID: 'e-41',
    });
    const [parked] = await waitFor(async () => {
      const list = await dlq.list();
      return list.length > 0 ? list : undefined;
    });
    expect(parked?.subject).toBe(Subjects.orderUpdated);
    expect(parked?.reason).toMatch(/gave up after 2 deliveries: downstream bug/);
    expect(flaky.handled).toEqual([]);

    flaky.broken = false; // the fix is deployed
    await dlq.replay(parked!.seq);
    await waitFor(() => flaky.handled.includes(41), { what: 'replayed event handled' });
    expect(await dlq.list()).toEqual([]);
  });
});

const KeyedSchema = z.object({ eventId: z.string(), accountId: z.string(), data: z.object({ orderId: z.string(), n: z.number() }) });
const keyed = { started: [] as number[], done: [] as number[], gates: new Map<number, () => void>() };

@Controller()
class KeyedConsumer {
  @EventPattern(Subjects.orderShipped, {
    durable: 'keyed',
    schema: KeyedSchema,
    concurrency: 4,
    sequentialBy: (p: unknown) => (p as { data?: { orderId?: string } }).data?.orderId,
  })
  async onShipped(@Payload() e: z.infer<typeof KeyedSchema>) {
    keyed.started.push(e.data.n);
    await new Promise<void>((resolve) => keyed.gates.set(e.data.n, resolve));
    keyed.done.push(e.data.n);
  }
}

describe('JetStream handlers with concurrency and a sequence key', () => {
  const iso = isolate('keyed');
  const config = BaseConfigSchema.parse({ HTTP_PORT: '0', NATS_URL: iso.natsUrl, NATS_PREFIX: iso.natsPrefix, LOG_LEVEL: 'silent' });
  let app: INestApplication;

  beforeAll(async () => {
    @Module({ imports: [PlatformModule.forRoot({ service: 'keyed-test', config })], controllers: [KeyedConsumer] })
    class KeyedModule {}
    app = await startService('keyed-test', config, { module: KeyedModule });
  });
  afterAll(() => {
    for (const open of keyed.gates.values()) open();
    return app.close();
  });

  it('runs messages of different keys at once and those of one key one after another, in stream order', async () => {
    const publisher = app.get(EventPublisher);
    const publish = (orderId: string, n: number) =>
      publisher.publish(Subjects.orderShipped, { eventId: randomUUID(), accountId: 'a', data: { orderId, n } } as never);
    await publish('order-a', 1);
    await publish('order-a', 2);
    await publish('order-b', 3);
    // order-b's message starts while order-a's first one is still running; order-a's second waits for it.
    await waitFor(() => keyed.started.includes(1) && keyed.started.includes(3), { what: 'order-a 1 and order-b 3 running at once' });
    expect(keyed.started).not.toContain(2);
    keyed.gates.get(3)!();
    keyed.gates.get(1)!();
    await waitFor(() => keyed.started.includes(2), { what: 'order-a 2 after order-a 1' });
    expect(keyed.done).toEqual(expect.arrayContaining([1, 3]));
    keyed.gates.get(2)!();
    await waitFor(() => keyed.done.length === 3, { what: 'all done' });
    expect(keyed.done.indexOf(1)).toBeLessThan(keyed.done.indexOf(2));
  });
});
