/** When to try again after `attempts` failed attempts: base · 2^(attempts-1), at most `maxMs`. */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
}

/** A subscriber failing since `failingSince` is disabled once it has failed for `disableAfterMs`. */
export function failingTooLong(failingSince: Date | undefined, now: Date, disableAfterMs: number): boolean {
  return !!failingSince && now.getTime() - failingSince.getTime() >= disableAfterMs;
}
