import { failingTooLong, retryDelayMs } from '../src/deliveries/retry-policy';

describe('webhook retry policy (pure)', () => {
  it('BILLBEE-WH-6: waits double from the base up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 60_000, 3_600_000))).toEqual([60_000, 120_000, 240_000, 480_000, 960_000]);
    expect(retryDelayMs(12, 60_000, 3_600_000)).toBe(3_600_000);
  });

  it('BILLBEE-WH-6: with the defaults a failing subscriber is retried for 24 h and only then disabled', () => {
    const day = 86_400_000;
    const start = new Date('2025-03-01T00:00:00Z');
    let at = start.getTime();
    let attempts = 0;
    while (!failingTooLong(start, new Date(at), day)) {
      attempts += 1;
      at += retryDelayMs(attempts, 60_000, 3_600_000);
    }
    expect(at - start.getTime()).toBeGreaterThanOrEqual(day);
    expect(attempts).toBeGreaterThan(20);
    expect(failingTooLong(undefined, new Date(at), day)).toBe(false);
  });
});
