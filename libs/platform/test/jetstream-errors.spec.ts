import { connect } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { isolate } from '@orderhub/testkit';
import { isConsumerNotFound, isStreamNotFound } from '../src';

/** The server's error codes, not its wording, tell a missing stream, consumer or message apart. */
describe('typed JetStream errors (real NATS)', () => {
  const iso = isolate('jserr');
  const stream = `${iso.natsPrefix}_JSERR`;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    nc = await connect({ servers: iso.natsUrl });
    jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [`${iso.natsPrefix}.jserr.>`] });
  });

  afterAll(async () => {
    await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
  });

  it('a missing stream is StreamNotFound and nothing else', async () => {
    const err = await jsm.streams.info(`${stream}_MISSING`).catch((e: unknown) => e);
    expect(isStreamNotFound(err)).toBe(true);
    expect(isConsumerNotFound(err)).toBe(false);
  });

  it('a missing consumer of an existing stream is ConsumerNotFound', async () => {
    const err = await jsm.consumers.info(stream, 'nobody').catch((e: unknown) => e);
    expect(isConsumerNotFound(err)).toBe(true);
    expect(isStreamNotFound(err)).toBe(false);
  });

  it('an error that only reads like one is none of them', () => {
    expect(isStreamNotFound(new Error('stream not found'))).toBe(false);
    expect(isConsumerNotFound(new Error('consumer not found'))).toBe(false);
  });
});
