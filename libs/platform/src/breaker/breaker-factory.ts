import CircuitBreaker from 'opossum';
import type { PlatformMetrics } from '../metrics/metrics';

export interface BreakerOptions {
  /** Per-call timeout; a stalled channel API must not hold a poll forever. */
  timeoutMs?: number;
  errorThresholdPercentage?: number;
  resetTimeoutMs?: number;
  volumeThreshold?: number;
  /** Errors that say "the request was wrong", not "the remote is down": they don't trip the breaker. */
  isClientError?: (err: unknown) => boolean;
}

const STATE_VALUE = { closed: 0, halfOpen: 1, open: 2 } as const;

/** Every outbound HTTP call goes through one of these; state and events are exported as metrics. */
export class BreakerFactory {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(private readonly metrics: PlatformMetrics) {}

  /** One breaker per name (e.g. `otto:<connectionId>`), created on first use. */
  get<TArgs extends unknown[], TResult>(
    name: string,
    action: (...args: TArgs) => Promise<TResult>,
    options: BreakerOptions = {},
  ): CircuitBreaker<TArgs, TResult> {
    const existing = this.breakers.get(name);
    if (existing) return existing as unknown as CircuitBreaker<TArgs, TResult>;
    const breaker = new CircuitBreaker<TArgs, TResult>(action, {
      name,
      timeout: options.timeoutMs ?? 10_000,
      errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
      resetTimeout: options.resetTimeoutMs ?? 10_000,
      volumeThreshold: options.volumeThreshold ?? 5,
      errorFilter: options.isClientError,
    });
    const label = { breaker: name };
    this.metrics.breakerState.set(label, STATE_VALUE.closed);
    breaker.on('open', () => this.metrics.breakerState.set(label, STATE_VALUE.open));
    breaker.on('halfOpen', () => this.metrics.breakerState.set(label, STATE_VALUE.halfOpen));
    breaker.on('close', () => this.metrics.breakerState.set(label, STATE_VALUE.closed));
    const count = (event: string) => () => this.metrics.breakerEvents.inc({ breaker: name, event });
    breaker.on('success', count('success'));
    breaker.on('failure', count('failure'));
    breaker.on('timeout', count('timeout'));
    breaker.on('reject', count('reject'));
    breaker.on('open', count('open'));
    breaker.on('close', count('close'));
    breaker.on('halfOpen', count('halfOpen'));
    this.breakers.set(name, breaker as unknown as CircuitBreaker);
    return breaker;
  }

  /** The state of a breaker that exists in this process (breakers are per replica and created on first use). */
  state(name: string): 'closed' | 'halfOpen' | 'open' | undefined {
    const breaker = this.breakers.get(name);
    if (!breaker) return undefined;
    return breaker.opened ? 'open' : breaker.halfOpen ? 'halfOpen' : 'closed';
  }

  shutdown(): void {
    for (const breaker of this.breakers.values()) breaker.shutdown();
    this.breakers.clear();
  }
}
