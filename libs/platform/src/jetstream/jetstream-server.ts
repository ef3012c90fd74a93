import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { nanos, type Msg, type Subscription } from '@nats-io/nats-core';
import { lastValueFrom } from 'rxjs';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import { CORRELATION_HEADER, runInContext } from '../logging/request-context';
import type { PlatformMetrics } from '../metrics/metrics';
import type { NatsClient } from '../nats/nats-client';
import { isConsumerNotFound } from './jetstream-errors';
import { errorReply, okReply } from '../rpc/rpc-reply';
import { parkMessage } from './dead-letter';
import {
  type BatchOutcome,
  DEFAULT_BACKOFF_MS,
  DEFAULT_MAX_DELIVER,
  type JetStreamHandlerOptions,
  PoisonMessageError,
  type RpcHandlerOptions,
} from './handler-options';
import { JetStreamContext } from './jetstream-context';

interface RunningConsumer {
  durable: string;
  messages: ConsumerMessages;
  loop: Promise<void>;
}

/** A message's payload, parsed and checked against the handler's schema, or why it could not be. */
type Decoded = { ok: true; value: unknown } | { ok: false; reason: string };

/** What every step of one consumer needs: its subject, durable name, handler and delivery limits. */
interface ConsumerSpec {
  pattern: string;
  durable: string;
  handler: MessageHandler;
  options: JetStreamHandlerOptions;
  maxDeliver: number;
}

/**
 * Nest transport for JetStream: `@EventPattern(subject, options)` methods become durable pull
 * consumers with explicit acks, bounded redelivery with backoff and a dead-letter stream;
 * `@MessagePattern(subject)` methods answer core-NATS requests in a queue group (one replica answers).
 * Nest's own NATS transport is core NATS without acks, so it would lose messages on a crash.
 */
export class JetStreamServer extends Server implements CustomTransportStrategy {
  private readonly consumers: RunningConsumer[] = [];
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing = false;

  constructor(
    private readonly nats: NatsClient,
    private readonly service: string,
    private readonly log: Logger,
    private readonly metrics: PlatformMetrics,
  ) {
    super();
  }

  async listen(callback: (err?: unknown) => void): Promise<void> {
    try {
      for (const [pattern, handler] of this.getHandlers()) {
        if (handler.isEventHandler) await this.startConsumer(pattern, handler);
        else this.startResponder(pattern, handler);
      }
      callback();
    } catch (err) {
      callback(err);
    }
  }

  /** Stops taking new messages, then waits for the ones in hand: nothing is half-handled at exit. */
  async close(): Promise<void> {
    this.closing = true;
    for (const s of this.subscriptions) s.unsubscribe();
    for (const c of this.consumers) c.messages.stop();
    await Promise.allSettled([...this.inFlight, ...this.consumers.map((c) => c.loop)]);
  }

  on(): never {
    throw new Error('JetStreamServer does not emit events');
  }

  unwrap<T>(): T {
    return this.nats.nc as T;
  }

  private async startConsumer(pattern: string, handler: MessageHandler): Promise<void> {
    const options = (handler.extras ?? {}) as JetStreamHandlerOptions;
    const stream = this.nats.streamFor(pattern);
    const durable = this.nats.names.durable(options.durable ?? `${this.service}_${pattern}`);
    const maxDeliver = options.maxDeliver ?? DEFAULT_MAX_DELIVER;
    const config = {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: this.nats.names.subject(pattern),
      max_deliver: maxDeliver,
      ack_wait: nanos((options.ackWaitSeconds ?? 30) * 1000),
      max_ack_pending: 1000,
    };
    try {
      await this.nats.jsm.consumers.info(stream, durable);
      await this.nats.jsm.consumers.update(stream, durable, config);
    } catch (err) {
      if (!isConsumerNotFound(err)) throw err;
      await this.nats.jsm.consumers.add(stream, config);
    }
    const consumer = await this.nats.js.consumers.get(stream, durable);
    // Pull only what this replica works on: a message waiting in the client's buffer while handlers
    // are slow (a database restart) runs out its ack wait, is delivered again and uses up a delivery
    // of its max_deliver without ever having been tried.
    const spec: ConsumerSpec = { pattern, durable, handler, options, maxDeliver };
    const messages = await consumer.consume({ max_messages: Math.max(1, options.batch ?? options.concurrency ?? 1) });
    const loop = options.batch ? this.consumeBatches(messages, spec) : this.consumeLoop(messages, spec);
    this.consumers.push({ durable, messages, loop });
    this.log.info({ stream, durable, subject: pattern }, 'JetStream consumer started');
  }

  private async consumeLoop(messages: ConsumerMessages, spec: ConsumerSpec): Promise<void> {
    const { options } = spec;
    const concurrency = Math.max(1, options.concurrency ?? 1);
    const active = new Set<Promise<void>>();
    /** Per key, the last message taken: the next one of that key starts after it. */
    const tails = new Map<string, Promise<void>>();
    for await (const msg of messages) {
      if (this.closing) {
        msg.nak();
        continue;
      }
      const parsed = this.decode(msg, options.schema);
      const key = parsed.ok && options.sequentialBy ? options.sequentialBy(parsed.value) : undefined;
      const before = key === undefined ? undefined : tails.get(key);
      const run = () => this.handleMessage(msg, spec, parsed);
      const work: Promise<void> = (before ? before.then(run, run) : run()).finally(() => {
        active.delete(work);
        this.inFlight.delete(work);
        if (key !== undefined && tails.get(key) === work) tails.delete(key);
      });
      if (key !== undefined) tails.set(key, work);
      active.add(work);
      this.inFlight.add(work);
      if (active.size >= concurrency) await Promise.race(active);
    }
    await Promise.allSettled(active);
  }

  /**
   * Gathers what arrives while a batch runs (at most `options.batch`, then it waits for that batch),
   * so a busy consumer hands over full batches and an idle one a single message at once.
   */
  private async consumeBatches(messages: ConsumerMessages, spec: ConsumerSpec): Promise<void> {
    const { options } = spec;
    const size = Math.max(1, options.batch ?? 1);
    let gathered: JsMsg[] = [];
    let running: Promise<void> | undefined;
    const next = (): void => {
      if (running || !gathered.length) return;
      const batch = gathered.splice(0, size);
      const work = this.handleBatch(batch, spec).finally(() => {
        this.inFlight.delete(work);
        running = undefined;
        next();
      });
      running = work;
      this.inFlight.add(work);
    };
    for await (const msg of messages) {
      if (this.closing) {
        msg.nak();
        continue;
      }
      gathered.push(msg);
      // Messages already buffered arrive in this same turn: start after it, with all of them.
      if (!running) setImmediate(next);
      while (gathered.length >= size && running) await running;
    }
    while (running || gathered.length) {
      if (this.closing) {
        for (const m of gathered) m.nak();
        gathered = [];
      }
      next();
      await running;
    }
  }

  private async handleBatch(msgs: JsMsg[], spec: ConsumerSpec): Promise<void> {
    const { pattern, durable, handler, options } = spec;
    const timer = this.metrics.handlerDuration.startTimer({ subject: pattern });
    this.metrics.batchSize.observe({ subject: pattern }, msgs.length);
    const valid: { msg: JsMsg; value: unknown }[] = [];
    for (const msg of msgs) {
      const parsed = this.decode(msg, options.schema);
      if (parsed.ok) valid.push({ msg, value: parsed.value });
      else await this.park(msg, durable, pattern, parsed.reason);
    }
    if (!valid.length) {
      timer({ outcome: 'dead_lettered' });
      return;
    }
    const ackWaitMs = (options.ackWaitSeconds ?? 30) * 1000;
    const keepAlive = setInterval(() => valid.forEach(({ msg }) => msg.working()), Math.max(1_000, ackWaitMs / 3));
    let outcomes: BatchOutcome[];
    try {
      outcomes = await runInContext({ phase: 'command' }, async () => {
        const result = await handler(
          valid.map((v) => v.value),
          new JetStreamContext(valid[0]!.msg),
        );
        return (await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined })) as BatchOutcome[] | undefined;
      }).then((r) => r ?? []);
    } catch (err) {
      outcomes = valid.map(() => (err instanceof Error ? err : new Error(String(err))));
    } finally {
      clearInterval(keepAlive);
    }
    let failed = 0;
    for (const [i, { msg }] of valid.entries()) {
      const err = outcomes[i];
      if (!err) msg.ack();
      else {
        failed += 1;
        await this.settleFailure(msg, spec, err);
      }
    }
    timer({ outcome: failed ? 'retry' : 'ok' });
  }

  /** A failed message: parked when it can never succeed or has used up its deliveries, else retried with backoff. */
  private async settleFailure(msg: JsMsg, spec: ConsumerSpec, err: unknown): Promise<'dead_lettered' | 'retry'> {
    const { pattern, durable, options, maxDeliver } = spec;
    const reason = err instanceof Error ? err.message : String(err);
    if (err instanceof PoisonMessageError || msg.info.deliveryCount >= maxDeliver) {
      await this.park(
        msg,
        durable,
        pattern,
        err instanceof PoisonMessageError ? reason : `gave up after ${msg.info.deliveryCount} deliveries: ${reason}`,
      );
      return 'dead_lettered';
    }
    const backoff = options.backoffMs ?? DEFAULT_BACKOFF_MS;
    const delay = backoff[Math.min(msg.info.deliveryCount - 1, backoff.length - 1)] ?? 1000;
    this.log.warn({ err, subject: pattern, deliveryCount: msg.info.deliveryCount, retryInMs: delay }, 'handler failed, will retry');
    msg.nak(delay);
    return 'retry';
  }

  private async handleMessage(msg: JsMsg, spec: ConsumerSpec, parsed: Decoded): Promise<void> {
    const { pattern, durable, handler, options } = spec;
    const timer = this.metrics.handlerDuration.startTimer({ subject: pattern });
    if (!parsed.ok) {
      await this.park(msg, durable, pattern, parsed.reason);
      timer({ outcome: 'dead_lettered' });
      return;
    }
    const payload = parsed.value as { accountId?: string; correlationId?: string; eventId?: string };
    const correlationId = msg.headers?.get(CORRELATION_HEADER) || payload.correlationId || payload.eventId;
    // A handler that takes long (a database restart) tells JetStream it is still working, so the
    // message is not delivered a second time meanwhile.
    const ackWaitMs = (options.ackWaitSeconds ?? 30) * 1000;
    const keepAlive = setInterval(() => msg.working(), Math.max(1_000, ackWaitMs / 3));
    await runInContext({ correlationId, accountId: payload.accountId, phase: 'command' }, async () => {
      try {
        const result = await handler(parsed.value, new JetStreamContext(msg));
        await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
        msg.ack();
        timer({ outcome: 'ok' });
      } catch (err) {
        timer({ outcome: await this.settleFailure(msg, spec, err) });
      } finally {
        clearInterval(keepAlive);
      }
    });
  }

  private decode(msg: JsMsg, schema?: ZodType): Decoded {
    let raw: unknown;
    try {
      raw = msg.json();
    } catch {
      return { ok: false, reason: 'payload is not valid JSON' };
    }
    if (!schema) return { ok: true, value: raw };
    const result = schema.safeParse(raw);
    if (result.success) return { ok: true, value: result.data };
    const issues = result.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, reason: `payload does not match the schema: ${issues.join('; ')}` };
  }

  private async park(msg: JsMsg, durable: string, pattern: string, reason: string): Promise<void> {
    try {
      await parkMessage(this.nats, msg, durable, reason);
      msg.term(reason);
      this.metrics.deadLettered.inc({ subject: pattern, reason: reason.startsWith('gave up') ? 'max_deliver' : 'rejected' });
      this.log.error({ subject: pattern, reason, streamSeq: msg.info.streamSequence }, 'message parked in dead-letter stream');
    } catch (err) {
      // Never drop a message we could not park: let JetStream redeliver it.
      this.log.error({ err, subject: pattern }, 'could not park message, will retry');
      msg.nak(5_000);
    }
  }

  private startResponder(pattern: string, handler: MessageHandler): void {
    const options = (handler.extras ?? {}) as RpcHandlerOptions;
    const sub = this.nats.nc.subscribe(this.nats.names.subject(pattern), {
      queue: this.service,
      callback: (err, msg) => {
        if (err) {
          this.log.error({ err, subject: pattern }, 'RPC subscription error');
          return;
        }
        const work = this.respond(msg, pattern, handler, options.schema).finally(() => this.inFlight.delete(work));
        this.inFlight.add(work);
      },
    });
    this.subscriptions.push(sub);
  }

  private async respond(msg: Msg, pattern: string, handler: MessageHandler, schema?: ZodType): Promise<void> {
    const timer = this.metrics.handlerDuration.startTimer({ subject: pattern });
    let body: unknown;
    try {
      body = msg.json();
    } catch {
      msg.respond(JSON.stringify(errorReply(new SyntaxError('request is not JSON'))));
      timer({ outcome: 'rejected' });
      return;
    }
    const correlationId = msg.headers?.get(CORRELATION_HEADER) || undefined;
    const accountId = (body as { accountId?: string } | null)?.accountId;
    await runInContext({ correlationId, accountId, phase: 'rpc' }, async () => {
      try {
        const input = schema ? schema.parse(body) : body;
        const result = await handler(input, undefined);
        const data = await lastValueFrom(this.transformToObservable(result), { defaultValue: null });
        msg.respond(JSON.stringify(okReply(data)));
        timer({ outcome: 'ok' });
      } catch (err) {
        const reply = errorReply(err);
        if (!reply.ok && reply.problem.status >= 500) this.log.error({ err, subject: pattern }, 'RPC handler failed');
        msg.respond(JSON.stringify(reply));
        timer({ outcome: reply.ok ? 'ok' : String(reply.problem.status) });
      }
    });
  }
}
