import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ProblemError, Rpc, RpcRequests } from '@orderhub/contracts';
import { DeadLetterQueue, NatsClient } from '@orderhub/platform';
import type { z } from 'zod';

/**
 * Replays a parked message for its account. It lives here, not in the gateway, because replaying
 * republishes commands and facts, which the internet-facing gateway's NATS user may not publish.
 */
@Controller()
export class DeadLettersRpc {
  private readonly dlq: DeadLetterQueue;

  constructor(@Inject(NatsClient) nats: NatsClient) {
    this.dlq = new DeadLetterQueue(nats);
  }

  @MessagePattern(Rpc.deadLettersReplay, { schema: RpcRequests.deadLettersReplay })
  async replay(@Payload() req: z.infer<typeof RpcRequests.deadLettersReplay>) {
    if (!(await this.dlq.findOwned(req.accountId, req.body.seq))) throw ProblemError.notFound(`Parked message ${req.body.seq}`);
    await this.dlq.replay(req.body.seq);
    return { replayed: true as const };
  }
}
