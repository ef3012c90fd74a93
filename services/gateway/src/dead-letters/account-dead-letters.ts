import { Inject, Injectable } from '@nestjs/common';
import { type DeadLetter, ProblemError } from '@orderhub/contracts';
import { DeadLetterQueue, isStreamNotFound, NatsClient, type ParkedMessage } from '@orderhub/platform';
import { problems } from '../http/problem';

/** The parts of a parked envelope that say whose it is and what it was about. */
function envelopeOf(message: ParkedMessage): { accountId?: string; eventId?: string; orderId?: string; connectionId?: string } {
  try {
    const parsed = JSON.parse(message.data) as {
      accountId?: unknown;
      eventId?: unknown;
      data?: { orderId?: unknown; connectionId?: unknown };
    };
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return {
      accountId: text(parsed.accountId),
      eventId: text(parsed.eventId),
      orderId: text(parsed.data?.orderId),
      connectionId: text(parsed.data?.connectionId),
    };
  } catch {
    return {};
  }
}

/**
 * The DLQ CLI's list, replay and drop for one account: a message is the account's when its envelope
 * says so; anything else (another account's, unreadable) is "not found" for this caller.
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
      const { accountId: owner, ...about } = envelopeOf(message);
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

  async replay(accountId: string, seq: number): Promise<void> {
    await this.owned(accountId, seq);
    await this.dlq.replay(seq);
  }

  async drop(accountId: string, seq: number): Promise<void> {
    await this.owned(accountId, seq);
    await this.dlq.drop(seq);
  }

  private async owned(accountId: string, seq: number): Promise<void> {
    const message = await this.dlq.find(seq);
    if (!message || envelopeOf(message).accountId !== accountId)
      throw new ProblemError(problems.notFound(`There is no parked message ${seq}`));
  }
}
