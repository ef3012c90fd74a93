import type { IBackoff, IBackoffFactory, IRetryBackoffContext } from 'cockatiel';

export interface RetryAfterBackoffOptions {
  /** What the remote asked for (its Retry-After, in ms) when the failure carries it. */
  retryAfterMs: (error: unknown) => number | undefined;
  /** The delay when the remote said nothing; `attempt` starts at 1. */
  fallbackMs: (attempt: number) => number;
  /** No single wait is longer. */
  maxMs?: number;
}

/**
 * A cockatiel backoff that waits as long as the remote asked (Retry-After) and otherwise follows the
 * fallback schedule: cockatiel's own backoffs only know their schedule, not the answer that failed.
 */
export function retryAfterBackoff(options: RetryAfterBackoffOptions): IBackoffFactory<IRetryBackoffContext<unknown>> {
  const step = (context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> => {
    const asked = 'error' in context.result ? options.retryAfterMs(context.result.error) : undefined;
    const wait = asked ?? options.fallbackMs(context.attempt);
    return { duration: Math.max(0, Math.min(wait, options.maxMs ?? Number.POSITIVE_INFINITY)), next: step };
  };
  return { next: step };
}
