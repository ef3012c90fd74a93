import { z } from 'zod';

/**
 * Billbee documents 2 requests/s per endpoint and API key + user (reference §2); a client above that
 * gets 429 with Retry-After. The burst lets ordinary clients (which send a few calls back to back)
 * through: billbee-node-api fails a call on 429 even when its retry succeeds.
 */
export const BillbeeConfigSchema = z.object({
  BILLBEE_RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(2),
  BILLBEE_RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(20),
  /** How long a successful login is remembered (by hash of the credentials). */
  BILLBEE_AUTH_CACHE_MS: z.coerce.number().int().min(0).default(30_000),
});
export type BillbeeConfig = z.infer<typeof BillbeeConfigSchema>;
export const BILLBEE_CONFIG = Symbol('BILLBEE_CONFIG');
