import { createHmac } from 'node:crypto';

/** The Key changes every 1000 s, at multiples of 1000 s since the epoch (custom-shop-api.md 2.1). */
export const KEY_WINDOW_SECONDS = 1000;

/**
 * The time-based `Key` a Custom Shop API shop expects (hub side, own implementation):
 * ts = first 7 digits of the Unix time (floor(t / 1000)); hex = lower-case HMAC-SHA256 with key ts over the
 * shop key; Key = Base64 of the hex text without `=`, `+`, `/`. `windowOffset` shifts by whole windows
 * (used to diagnose clock skew and to retry across a window boundary).
 */
export function customShopKey(shopKey: string, unixSeconds: number, windowOffset = 0): string {
  const ts = String(Math.floor(unixSeconds / KEY_WINDOW_SECONDS) + windowOffset);
  const hex = createHmac('sha256', Buffer.from(ts, 'utf8')).update(Buffer.from(shopKey, 'utf8')).digest('hex').toLowerCase();
  return Buffer.from(hex, 'ascii').toString('base64').replace(/[=+/]/g, '');
}
