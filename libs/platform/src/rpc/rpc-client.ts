import { headers as natsHeaders, TimeoutError } from '@nats-io/nats-core';
import { ProblemError, ProblemTypes, type RpcMethod, type RpcReply } from '@orderhub/contracts';
import type { z } from 'zod';
import { CORRELATION_HEADER, currentContext } from '../logging/request-context';
import type { NatsClient } from '../nats/nats-client';

const unavailable = (detail: string) =>
  new ProblemError({ type: ProblemTypes.unavailable, title: 'Service unavailable', status: 503, detail });

/**
 * The request went out but no answer came within the timeout: the other side may still have done it
 * (unlike "no responders" or a disconnected client, where nothing was done). Still a 503 for callers
 * that do not care; a caller of a write can say "accepted, outcome unknown" instead.
 */
export class RpcTimeoutError extends ProblemError {
  constructor(subject: string, timeoutMs: number) {
    super({
      type: ProblemTypes.unavailable,
      title: 'Service unavailable',
      status: 503,
      detail: `${subject} did not answer within ${timeoutMs} ms`,
    });
  }
}

/** Calls a `@MessagePattern` handler of another service; a refusal comes back as a ProblemError. */
export class RpcClient {
  constructor(private readonly nats: NatsClient) {}

  /**
   * Calls a method of the contracts' RpcMethods: the request is checked before it is sent, the reply
   * is parsed with the method's reply schema (an answer outside the contract is a 502, never passed on).
   */
  async invoke<M extends RpcMethod>(method: M, request: z.input<M['request']>, timeoutMs?: number): Promise<z.output<M['reply']>> {
    const data = await this.call<unknown>(method.subject, method.request.parse(request), timeoutMs);
    const reply = method.reply.safeParse(data);
    if (!reply.success) {
      const where = reply.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ');
      throw new ProblemError({
        type: ProblemTypes.internal,
        title: 'Bad gateway',
        status: 502,
        detail: `${method.subject} answered outside its contract (${where})`,
      });
    }
    return reply.data as z.output<M['reply']>;
  }

  async call<T>(logicalSubject: string, request: unknown, timeoutMs = 10_000): Promise<T> {
    // while NATS is away a request would sit in the client's buffer until its timeout
    if (!this.nats.connected) throw unavailable(`${logicalSubject}: NATS is not connected`);
    const h = natsHeaders();
    const correlationId = currentContext()?.correlationId;
    if (correlationId) h.set(CORRELATION_HEADER, correlationId);
    let reply: RpcReply<T>;
    try {
      const msg = await this.nats.nc.request(this.nats.names.subject(logicalSubject), JSON.stringify(request), {
        timeout: timeoutMs,
        headers: h,
      });
      reply = msg.json<RpcReply<T>>();
    } catch (err) {
      if (err instanceof TimeoutError) throw new RpcTimeoutError(logicalSubject, timeoutMs);
      throw unavailable(`${logicalSubject} did not answer: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (reply.ok) return reply.data;
    throw new ProblemError(reply.problem);
  }
}
