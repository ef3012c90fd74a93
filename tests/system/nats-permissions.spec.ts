import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { Streams, Subjects, Rpc } from '@orderhub/contracts';
import { createLogger, natsInboxPrefix, NatsClient, SubjectNamer } from '@orderhub/platform';
import {
  type LocalServer,
  REPO_ROOT,
  ServiceProcess,
  freePort,
  isolate,
  spawnNatsServer,
  testNatsPassword,
  waitFor,
  type TestIsolation,
} from '@orderhub/testkit';

/**
 * Issue 16: NATS runs with per-service users and subject permissions, in the tests as in compose and
 * Kubernetes (the same table, libs/testkit/src/nats-auth.ts). A connector publishes only its commands
 * and reads only its events; the orders service publishes facts; the gateway only calls RPC.
 */
describe('issue 16: NATS users and subject permissions', () => {
  let server: LocalServer;
  let monitorPort: number;
  let iso: TestIsolation;
  const open: NatsConnection[] = [];
  const services: ServiceProcess[] = [];

  const as = async (user: string, password = testNatsPassword(user)) => {
    const nc = await connect({ servers: server.url, user, pass: password, inboxPrefix: natsInboxPrefix(user) });
    open.push(nc);
    return nc;
  };
  const subject = (logical: string) => `${iso.natsPrefix}.${logical}`;
  const stream = (name: string) => `${iso.natsPrefix}_${name}`;

  beforeAll(async () => {
    monitorPort = await freePort();
    server = await spawnNatsServer({ monitorPort });
    iso = isolate('natsperm', { natsUrl: server.url, mongoUrl: 'mongodb://127.0.0.1:1/' });
    // The harness (no credentials) provisions the streams as every service does at start.
    const harness = new NatsClient(server.url, new SubjectNamer(iso.natsPrefix), 'harness', createLogger('harness', 'silent'));
    await harness.connect();
    await harness.drain();
  });

  afterAll(async () => {
    await Promise.allSettled(services.map((s) => s.stop()));
    await Promise.allSettled(open.map((nc) => nc.close()));
    await server?.destroy();
  });

  it('a connector may publish its commands but not facts of the orders service', async () => {
    const js = jetstream(await as('channel-otto'));
    await expect(js.publish(subject(Subjects.channelOrderImport), '{}')).resolves.toMatchObject({ stream: stream(Streams.channel.name) });
    await expect(js.publish(subject(Subjects.orderShipped), '{}')).rejects.toThrow(/permissions violation/i);
    await expect(js.publish(subject(Subjects.articleStockChanged), '{}')).rejects.toThrow(/permissions violation/i);
  });

  it('a connector reads only the events it handles, and calls only the reads of the orders service', async () => {
    const nc = await as('channel-otto');
    const jsm = await jetstreamManager(nc);
    const consumer = (filter: string, durable: string) =>
      jsm.consumers.add(stream(Streams.orders.name), {
        durable_name: durable,
        filter_subject: subject(filter),
        ack_policy: AckPolicy.Explicit,
      });
    await expect(consumer(Subjects.orderShipped, 'otto_shipped')).resolves.toMatchObject({ name: 'otto_shipped' });
    await expect(consumer(Subjects.orderTagsChanged, 'otto_tags')).rejects.toThrow(/permissions violation/i);
    await expect(nc.request(subject(Rpc.accountsCreate), '{}', { timeout: 5_000 })).rejects.toThrow(/permissions violation/i);
  });

  it('the gateway calls RPC but publishes no commands or facts', async () => {
    const js = jetstream(await as('gateway'));
    await expect(js.publish(subject(Subjects.channelOrderImport), '{}')).rejects.toThrow(/permissions violation/i);
    await expect(js.publish(subject(Subjects.orderShipped), '{}')).rejects.toThrow(/permissions violation/i);
  });

  it("the orders service publishes facts (connector commands only as replays of parked ones) but calls no other service's RPC", async () => {
    const nc = await as('orders');
    const js = jetstream(nc);
    await expect(js.publish(subject(Subjects.orderShipped), '{}')).resolves.toMatchObject({ stream: stream(Streams.orders.name) });
    await expect(nc.request(subject(Rpc.mailReprocess), '{}', { timeout: 5_000 })).rejects.toThrow(/permissions violation/i);
  });

  it('one service cannot read the replies meant for another (own inbox prefix)', async () => {
    const nc = await as('channel-otto');
    const sub = nc.subscribe(`${natsInboxPrefix('gateway')}.>`);
    // nats.js resolves `closed` with the server's refusal.
    expect(String(await sub.closed)).toMatch(/permissions violation/i);
  });

  it('a wrong password is refused', async () => {
    await expect(as('orders', 'not-the-password')).rejects.toThrow(/authorization/i);
  });

  it("the deployments' users.conf is the table the tests run with (no drift)", () => {
    expect(() =>
      execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'nats-auth-config.js'), '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it('services under test connect as their own user', async () => {
    const gateway = await ServiceProcess.start(
      'services/gateway',
      { NATS_URL: server.url, NATS_PREFIX: iso.natsPrefix },
      { waitReady: false },
    );
    services.push(gateway);
    await waitFor(
      async () => {
        const connz = (await (await fetch(`http://127.0.0.1:${monitorPort}/connz?auth=true`)).json()) as {
          connections?: { name?: string; authorized_user?: string }[];
        };
        return connz.connections?.find((c) => c.name === 'gateway')?.authorized_user === 'gateway';
      },
      { timeoutMs: 30_000, what: 'the gateway connected to NATS as user "gateway"' },
    );
  });
});
