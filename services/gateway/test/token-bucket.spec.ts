import { TokenBuckets } from '../src/auth/token-bucket';

describe('TokenBuckets', () => {
  it('allows the burst at once, then the sustained rate, and says when to retry', () => {
    let now = 0;
    const buckets = new TokenBuckets(2, 4, () => now);
    for (let i = 0; i < 4; i++) expect(buckets.take('k').allowed).toBe(true);
    expect(buckets.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 500; // one token back at 2/s
    expect(buckets.take('k').allowed).toBe(true);
    expect(buckets.take('k').allowed).toBe(false);
    expect(buckets.take('other').allowed).toBe(true);
  });

  it('forgets buckets that are full again', () => {
    let now = 0;
    const buckets = new TokenBuckets(1, 2, () => now);
    buckets.take('a');
    buckets.take('b');
    now += 10_000;
    buckets.sweep();
    expect(buckets.size).toBe(0);
  });
});
