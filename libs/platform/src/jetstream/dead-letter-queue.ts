import { headers as natsHeaders } from '@nats-io/nats-core';
import type { StoredMsg } from '@nats-io/jetstream';
import { ProblemError, Streams } from '@orderhub/contracts';
import type { NatsClient } from '../nats/nats-client';
import { DlqHeaders } from './dead-letter';
import { isStreamNotFound } from './jetstream-errors';
import { OUTBOX_RELAY_CONSUMER } from './unpublishable-events';

export interface ParkedMessage {
  seq: number;
  subject: string;
  reason: string;
  parkedAt: string;
  deliveries: string;
  consumer: string;
  data: string;
}

/** The parts of a parked envelope that say whose it is and what it was about. */
export function parkedEnvelope(message: Pick<ParkedMessage, 'data'>): {
  accountId?: string;
  eventId?: string;
  orderId?: string;
  connectionId?: string;
} {
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

/** Operations on the dead-letter stream: list what is parked, replay it after a fix, or drop it. */
export class DeadLetterQueue {
  private readonly stream: string;

  constructor(private readonly nats: NatsClient) {
    this.stream = nats.names.stream(Streams.dlq.name);
  }

  async list(limit = 1000): Promise<ParkedMessage[]> {
    const info = await this.nats.jsm.streams.info(this.stream);
    // an empty stream reports sequence 0, which the server refuses to read ('bad request')
    if (info.state.messages === 0) return [];
    const parked: ParkedMessage[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && parked.length < limit; seq++) {
      const msg = await this.get(seq);
      if (msg) parked.push(describe(msg));
    }
    return parked;
  }

  /** One parked message, or undefined when there is none with this sequence number. */
  async find(seq: number): Promise<ParkedMessage | undefined> {
    const msg = await this.get(seq);
    return msg ? describe(msg) : undefined;
  }

  /** The parked message when its envelope names this account; anything else (another account's, unreadable) is undefined. */
  async findOwned(accountId: string, seq: number): Promise<ParkedMessage | undefined> {
    const message = await this.find(seq);
    return message && parkedEnvelope(message).accountId === accountId ? message : undefined;
  }

  /** Publishes the original message again to its subject (a new message id, so it is not deduplicated), then removes it here. */
  async replay(seq: number): Promise<void> {
    const msg = await this.get(seq);
    if (!msg) throw new Error(`no parked message ${seq}`);
    if (msg.header?.get(DlqHeaders.consumer) === OUTBOX_RELAY_CONSUMER)
      throw ProblemError.conflict(
        'This is the summary of an event that could not be published; it cannot be sent again. The order goes out with its current state on its next change.',
      );
    const h = natsHeaders();
    for (const [key, values] of msg.header ?? []) {
      if (key.startsWith('Orderhub-Dlq-') || key.startsWith('Nats-')) continue;
      for (const v of values) h.append(key, v);
    }
    const subject = msg.header.get(DlqHeaders.subject);
    await this.nats.js.publish(this.nats.names.subject(subject), msg.data, { headers: h, msgID: `replay:${this.stream}:${seq}` });
    await this.nats.jsm.streams.deleteMessage(this.stream, seq);
  }

  async drop(seq: number): Promise<void> {
    await this.nats.jsm.streams.deleteMessage(this.stream, seq);
  }

  private async get(seq: number): Promise<StoredMsg | undefined> {
    try {
      return (await this.nats.jsm.streams.getMessage(this.stream, { seq })) ?? undefined;
    } catch (err) {
      // nothing parked yet: the stream comes with the first consumer that parks (a deleted sequence is null)
      if (isStreamNotFound(err)) return undefined;
      throw err;
    }
  }
}

function describe(msg: StoredMsg): ParkedMessage {
  const h = msg.header;
  return {
    seq: msg.seq,
    subject: h.get(DlqHeaders.subject),
    reason: h.get(DlqHeaders.reason),
    parkedAt: h.get(DlqHeaders.parkedAt),
    deliveries: h.get(DlqHeaders.deliveries),
    consumer: h.get(DlqHeaders.consumer),
    data: msg.string(),
  };
}
