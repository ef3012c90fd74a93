import { handleWhen, retry } from 'cockatiel';
import { HttpStatusError, retryAfterBackoff } from '../src';

describe('retryAfterBackoff', () => {
  const backoff = retryAfterBackoff({
    retryAfterMs: (err) => (err instanceof HttpStatusError ? err.retryAfterMs : undefined),
    fallbackMs: (attempt) => 10 * attempt,
    maxMs: 50,
  });

  it('waits what the answer asked for, else the fallback schedule, never longer than the cap', async () => {
    const failures = [
      new HttpStatusError(429, 'slow down', 30, 'GET /x'),
      new HttpStatusError(503, 'down', undefined, 'GET /x'),
      new HttpStatusError(429, 'much slower', 5_000, 'GET /x'),
    ];
    const policy = retry(
      handleWhen((err) => err instanceof HttpStatusError),
      { maxAttempts: failures.length, backoff },
    );
    const delays: number[] = [];
    policy.onRetry(({ delay }) => delays.push(delay));
    let calls = 0;
    const answer = await policy.execute(() => {
      const failure = failures[calls++];
      if (failure) throw failure;
      return 'done';
    });
    expect(answer).toBe('done');
    expect(delays).toEqual([30, 20, 50]);
  });

  it('gives up after maxAttempts with the last failure', async () => {
    const policy = retry(
      handleWhen(() => true),
      { maxAttempts: 2, backoff },
    );
    let calls = 0;
    await expect(
      policy.execute(() => {
        calls += 1;
        throw new HttpStatusError(503, `down ${calls}`, 0, 'GET /x');
      }),
    ).rejects.toThrow('down 3');
    expect(calls).toBe(3);
  });
});
