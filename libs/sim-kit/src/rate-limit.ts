/**
 * Token bucket per key (an API token, a client): real channel APIs limit per credential,
 * so simulators do too. `take` answers how long to wait when the bucket is empty.
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number = perSecond,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns 0 when the request may pass, otherwise the milliseconds until a token is free. */
  take(key: string): number {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, updatedAt: t };
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.updatedAt) / 1000) * this.perSecond);
    b.updatedAt = t;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - b.tokens) / this.perSecond) * 1000);
  }

  remaining(key: string): number {
    return Math.floor(this.buckets.get(key)?.tokens ?? this.burst);
  }
}
