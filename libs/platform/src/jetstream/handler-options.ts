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
  /**
   * With `concurrency`: messages with the same key (e.g. an order id, from the payload as the schema
   * parsed it) wait for each other and keep the stream's order on this replica; messages of other
   * keys run at once.
   */
  sequentialBy?: (payload: unknown) => string | undefined;
  /** Seconds JetStream waits for an ack before redelivering. */
  ackWaitSeconds?: number;
  /**
   * Hands the handler the messages waiting, up to this many, at once: its payload is then an array
   * and it answers with one `BatchOutcome` per message (in the same order). One batch runs at a time
   * per replica while the next one gathers (`concurrency` does not apply).
   */
  batch?: number;
}

/** Per message of a batch: `undefined` is done (acked); an error is retried or parked like a thrown one. */
export type BatchOutcome = Error | undefined;

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
