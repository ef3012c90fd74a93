import { createHmac, timingSafeEqual } from 'node:crypto';

/** The Key rotates every 1000 s: it is signed with the first 7 digits of the Unix time in seconds. */
export const KEY_WINDOW_SECONDS = 1000;

/** `floor(t / 1000)` as a string, i.e. the first 7 characters of today's 10-digit Unix time. */
export function keyTimeBucket(unixSeconds: number): string {
  return String(Math.floor(unixSeconds / KEY_WINDOW_SECONDS));
}

/**
 * The `Key` query parameter as a Billbee client computes it (Custom Shop API, reference section 2.1):
 * HMAC-SHA256 with the time bucket as HMAC key and the shop key as message, lower-case hex,
 * Base64 of that hex text, then every `=`, `+` and `/` removed. Pure: pass the clock in.
 */
export function computeCustomShopKey(shopKey: string, unixSeconds: number): string {
  const hex = createHmac('sha256', Buffer.from(keyTimeBucket(unixSeconds), 'utf8'))
    .update(Buffer.from(shopKey, 'utf8'))
    .digest('hex');
  return Buffer.from(hex, 'ascii').toString('base64').replace(/[=+/]/g, '');
}

export interface KeyCheckOptions {
  /** The shop's own clock, Unix seconds (already including any simulated skew). */
  shopUnixSeconds: number;
  /** Real shops (SDK, .NET SDK) accept only the current bucket; a lenient peer may also take the one before. */
  acceptPreviousWindow: boolean;
}

/** Server side check: recompute for the shop's current bucket and compare in constant time. */
export function isValidCustomShopKey(given: string | undefined, shopKey: string, options: KeyCheckOptions): boolean {
  if (!given || !shopKey) return false;
  const candidates = [options.shopUnixSeconds];
  if (options.acceptPreviousWindow) candidates.push(options.shopUnixSeconds - KEY_WINDOW_SECONDS);
  return candidates.some((t) => safeEqual(given, computeCustomShopKey(shopKey, t)));
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
