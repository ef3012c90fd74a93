import type { ZodType } from 'zod';

/**
 * Extras of `@EventPattern(subject, extras)` for a JetStream handler. Handlers must be idempotent:
 * JetStream delivers at least once.
 */
export interface JetStreamHandlerOptions {
  /** Durable consumer name (unique per service and purpose); defaults to `<service>_<subject>`. */
  durable?: string;
  /** Validates the payload; an invalid one is parked in the dead-letter stream at once (never retried). */
  schema?: ZodType;
  /** Deliveries before a failing message is parked in the dead-letter stream. */
  maxDeliver?: number;
  /** Redelivery delays after a failure, in ms; the last one repeats. */
  backoffMs?: number[];
  /** Messages handled at once by this replica; 1 keeps the stream's order. */
  concurrency?: number;
  /** Seconds JetStream waits for an ack before redelivering. */
  ackWaitSeconds?: number;
}

/** Extras of `@MessagePattern(subject, extras)` for a core-NATS request/reply handler. */
export interface RpcHandlerOptions {
  schema?: ZodType;
}

export const DEFAULT_MAX_DELIVER = 8;
export const DEFAULT_BACKOFF_MS = [500, 2_000, 5_000, 15_000, 30_000, 60_000];

/** Thrown by a handler for a message that can never succeed: parked at once, not retried. */
export class PoisonMessageError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PoisonMessageError';
  }
}
