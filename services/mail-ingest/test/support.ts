import { connect as netConnect } from 'node:net';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Durables, Streams, Subjects } from '@orderhub/contracts';
import { waitFor } from '@orderhub/testkit';

export interface FakeConnection {
  id: string;
  accountId: string;
  forwardTo: string;
  active?: boolean;
}

/** Answers `rpc.connections.for-connector` like the orders service would (a real NATS peer). */
export async function serveConnections(natsUrl: string, prefix: string, connections: FakeConnection[]): Promise<NatsConnection> {
  // Typed here: under moduleResolution node10 transport-node's own connection type (re-exported
  // from @nats-io/nats-core/internal, a package export) does not resolve, so connect() gives any.
  const nc: NatsConnection = await connect({ servers: natsUrl });
  nc.subscribe(`${prefix}.rpc.connections.for-connector`, {
    callback: (_err, msg) => {
      const data = connections.map((c) => ({
        id: c.id,
        accountId: c.accountId,
        type: 'jimdo',
        settings: { name: `Jimdo ${c.id}`, forwardTo: c.forwardTo, active: c.active ?? true, importOrders: true, syncDirection: 'both' },
        secretsSet: [],
        capabilities: [],
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
        encryptedSecrets: '',
      }));
      msg.respond(JSON.stringify({ ok: true, data }));
    },
  });
  await nc.flush();
  return nc;
}

/**
 * Stands in for the orders service's import consumer: acknowledges every `channel.order.import`
 * command, so CSV jobs (which complete once the orders service has taken their orders) complete.
 * Call after mail-ingest started (it creates the streams). Returns a stop function.
 */
export async function storeImports(nc: NatsConnection, prefix: string): Promise<() => Promise<void>> {
  const jsm = await jetstreamManager(nc);
  const stream = `${prefix}_${Streams.channel.name}`;
  const durable = `${prefix}_${Durables.ordersOrderImport}`;
  await waitFor(() => jsm.streams.info(stream).then(() => true), { what: `stream ${stream}` });
  await jsm.consumers.add(stream, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    filter_subject: `${prefix}.${Subjects.channelOrderImport}`,
  });
  const messages = await (await jetstream(nc).consumers.get(stream, durable)).consume();
  void (async () => {
    for await (const m of messages) m.ack();
  })();
  return async () => {
    await messages.close();
  };
}

export interface ImportCommandMsg {
  eventId: string;
  accountId: string;
  data: { connectionId: string; channel: string; order: { externalId: string; positions: { sku?: string; title: string }[] } };
}

/** Every `channel.order.import` command in the CHANNEL stream (what the orders service would consume). */
export async function importCommands(nc: NatsConnection, prefix: string): Promise<ImportCommandMsg[]> {
  const jsm = await jetstreamManager(nc);
  const stream = `${prefix}_CHANNEL`;
  const info = await jsm.streams.info(stream).catch(() => undefined);
  if (!info) return [];
  const out: ImportCommandMsg[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq += 1) {
    const m = await jsm.streams.getMessage(stream, { seq }).catch(() => undefined);
    if (m && m.subject === `${prefix}.channel.order.import`) out.push(m.json<ImportCommandMsg>());
  }
  return out;
}

/**
 * A raw SMTP dialogue: sends each command and collects each reply, so tests can assert the exact
 * code at RCPT or after DATA (a client library would hide where a refusal happened). A function step
 * runs (and is awaited) between two commands and gets no reply.
 */
export async function smtpDialogue(port: number, steps: (string | Buffer | (() => void | Promise<void>))[]): Promise<string[]> {
  const socket = netConnect(port, '127.0.0.1');
  const replies: string[] = [];
  let buffer = '';
  let waiting: ((line: string) => void) | undefined;
  let failWaiting: ((err: Error) => void) | undefined;
  let ended = false;
  let failure: Error | undefined;
  const queue: string[] = [];
  // A reset during the dialogue fails it; one after our end (the server closing a connection that
  // still held unread bytes) is no answer we wait for, and unheard it would crash the test process.
  socket.on('error', (err) => {
    if (ended) return;
    failure = err;
    failWaiting?.(err);
  });
  socket.on('data', (d: Buffer) => {
    buffer += d.toString('latin1');
    let idx: number;
    while ((idx = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, idx);
      buffer = buffer.slice(idx + 2);
      if (/^\d{3} /.test(line)) {
        if (waiting) {
          const w = waiting;
          waiting = undefined;
          w(line);
        } else queue.push(line);
      }
    }
  });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      if (queue.length) return resolve(queue.shift()!);
      if (failure) return reject(failure);
      waiting = resolve;
      failWaiting = reject;
    });
  await next(); // greeting
  for (const step of steps) {
    if (typeof step === 'function') {
      await step(); // something the test changes between two commands; no reply
      continue;
    }
    socket.write(step);
    replies.push(await next());
  }
  ended = true;
  socket.end();
  return replies;
}
