import { createHash } from 'node:crypto';

/**
 * An order's id follows from its import key (account, connection, channel order id), so "does this
 * channel order exist?" is a lookup by primary key, and two replicas importing the same channel
 * order at once collide on `_id` (HUB-2). 128 bits of SHA-256, base64url.
 */
export function orderIdFor(accountId: string, connectionId: string, externalId: string): string {
  const digest = createHash('sha256').update(`${accountId}\n${connectionId}\n${externalId}`).digest('base64url');
  return `ord_${digest.slice(0, 22)}`;
}
