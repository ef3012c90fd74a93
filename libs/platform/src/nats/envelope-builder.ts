import { randomUUID } from 'node:crypto';
import { type EventDataInput, type EventOf, EventSchemas, type EventSubject } from '@orderhub/contracts';
import { currentContext } from '../logging/request-context';

/** An event that does not match its contract: a bug in the publisher, never something to retry. */
export class InvalidEnvelopeError extends Error {
  constructor(
    readonly subject: string,
    readonly issues: string,
  ) {
    super(`event for ${subject} does not match its contract: ${issues}`);
    this.name = 'InvalidEnvelopeError';
  }
}

export interface EnvelopeFields<S extends EventSubject> {
  accountId: string;
  data: EventDataInput<S>;
  /** Deterministic where a retry must be dropped by the stream's duplicate window; random otherwise. */
  eventId?: string;
  occurredAt?: Date;
  /** Defaults to the current request's correlation id. */
  correlationId?: string;
}

/**
 * The one way to make a JetStream message body: the versioned envelope, checked against the subject's
 * contract schema before it enters an outbox or is published, so consumers never meet a shape the
 * contracts do not describe.
 */
export function buildEnvelope<S extends EventSubject>(subject: S, fields: EnvelopeFields<S>): EventOf<S> {
  const correlationId = fields.correlationId ?? currentContext()?.correlationId;
  const parsed = EventSchemas[subject].safeParse({
    eventId: fields.eventId ?? randomUUID(),
    type: subject,
    version: 1,
    occurredAt: (fields.occurredAt ?? new Date()).toISOString(),
    accountId: fields.accountId,
    ...(correlationId ? { correlationId } : {}),
    data: fields.data,
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new InvalidEnvelopeError(subject, issues.slice(0, 1000));
  }
  return parsed.data as EventOf<S>;
}
