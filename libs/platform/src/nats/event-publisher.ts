import { headers as natsHeaders } from '@nats-io/nats-core';
import type { PubAck } from '@nats-io/jetstream';
import { CORRELATION_HEADER, currentContext, currentPhase } from '../logging/request-context';
import type { PlatformMetrics } from '../metrics/metrics';
import type { NatsClient } from './nats-client';

export interface PublishableEnvelope {
  eventId: string;
  correlationId?: string;
}

/**
 * Publishes to JetStream with `Nats-Msg-Id` = event id, so a re-publish after a crash (outbox relay,
 * connector retry) is dropped by the stream's duplicate window instead of delivered twice.
 */
export class EventPublisher {
  constructor(
    private readonly nats: NatsClient,
    private readonly metrics: PlatformMetrics,
  ) {}

  async publish(logicalSubject: string, envelope: PublishableEnvelope, extraHeaders: Record<string, string> = {}): Promise<PubAck> {
    const h = natsHeaders();
    const correlationId = envelope.correlationId ?? currentContext()?.correlationId;
    if (correlationId) h.set(CORRELATION_HEADER, correlationId);
    for (const [k, v] of Object.entries(extraHeaders)) h.set(k, v);
    const ack = await this.nats.js.publish(this.nats.names.subject(logicalSubject), JSON.stringify(envelope), {
      msgID: envelope.eventId,
      headers: h,
      timeout: 10_000,
    });
    this.metrics.messagesPublished.inc({ subject: logicalSubject, phase: currentPhase() });
    return ack;
  }
}
