import { createHash } from 'node:crypto';

/**
 * Billbee ids are 64-bit integers; JavaScript clients read them exactly only below 2^53 (reference §1).
 * Our ids are strings, so each gets a stable number: the first 52 bits of SHA-256 over kind and id.
 * The kind keeps an order's and a connection's numbers apart. 2^52 values make a clash between two of
 * an account's 100 000 orders about one in a million; the orders service refuses to map a second id
 * onto a taken number rather than mix two orders up.
 */
export function billbeeIdFor(kind: 'order' | 'item' | 'shipment' | 'address' | 'connection' | 'article' | 'payment', id: string): number {
  const digest = createHash('sha256').update(`${kind}\n${id}`).digest();
  // 6 bytes (48 bits) + the high nibble of the 7th = 52 bits; never 0 (Billbee ids start at 1).
  const value = digest.readUIntBE(0, 6) * 16 + (digest[6]! >> 4);
  return value === 0 ? 1 : value;
}
