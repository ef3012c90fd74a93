import { Inject, Injectable } from '@nestjs/common';
import { type DeadLetter, ProblemError } from '@orderhub/contracts';
import { DeadLetterQueue, isStreamNotFound, NatsClient, parkedEnvelope } from '@orderhub/platform';
import { problems } from '../http/problem';

/**
 * The DLQ CLI's list and drop for one account (replay is the orders service's: Rpc.deadLettersReplay):
 * a message is the account's when its envelope says so; anything else is "not found" for this caller.
 */
@Injectable()
export class AccountDeadLetters {
  private readonly dlq: DeadLetterQueue;

  constructor(@Inject(NatsClient) nats: NatsClient) {
    this.dlq = new DeadLetterQueue(nats);
  }

  async list(accountId: string): Promise<DeadLetter[]> {
    const parked = await this.dlq.list().catch((err: unknown) => {
      // no service has parked anything yet: the stream is created with the first consumer that parks
      if (isStreamNotFound(err)) return [];
      throw err;
    });
    return parked.flatMap((message) => {
      const { accountId: owner, ...about } = parkedEnvelope(message);
      if (owner !== accountId) return [];
      const deliveries = Number.parseInt(message.deliveries, 10);
      return [
        {
          seq: message.seq,
          subject: message.subject,
          reason: message.reason,
          parkedAt: message.parkedAt,
          deliveries: Number.isFinite(deliveries) ? deliveries : 0,
          ...Object.fromEntries(Object.entries(about).filter(([, v]) => v !== undefined)),
        },
      ];
    });
  }

  async drop(accountId: string, seq: number): Promise<void> {
    await this.owned(accountId, seq);
    await this.dlq.drop(seq);
  }

  private async owned(accountId: string, seq: number): Promise<void> {
    if (!(await this.dlq.findOwned(accountId, seq))) throw new ProblemError(problems.notFound(`There is no parked message ${seq}`));
  }
}
