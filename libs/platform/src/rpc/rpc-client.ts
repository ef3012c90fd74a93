import { headers as natsHeaders } from '@nats-io/nats-core';
import { ProblemError, ProblemTypes, type RpcReply } from '@orderhub/contracts';
import { CORRELATION_HEADER, currentContext } from '../logging/request-context';
import type { NatsClient } from '../nats/nats-client';

/** Calls a `@MessagePattern` handler of another service; a refusal comes back as a ProblemError. */
export class RpcClient {
  constructor(private readonly nats: NatsClient) {}

  async call<T>(logicalSubject: string, request: unknown, timeoutMs = 10_000): Promise<T> {
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
      throw new ProblemError({
        type: ProblemTypes.unavailable,
        title: 'Service unavailable',
        status: 503,
        detail: `${logicalSubject} did not answer: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
    if (reply.ok) return reply.data;
    throw new ProblemError(reply.problem);
  }
}
