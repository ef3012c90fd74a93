import { z } from 'zod';
import { ConnectorConfigSchema } from '@orderhub/connector-kit';

export const OttoConfigSchema = ConnectorConfigSchema.extend({
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8082),
  /**
   * Re-read this much before the last watermark on every poll: OTTO's `fromDate` filters on
   * lastModifiedDate, and clocks drift. Re-reading is harmless (import event ids are content-derived).
   */
  OTTO_OVERLAP_SECONDS: z.coerce.number().int().min(0).default(300),
  /** How far back the very first poll of a new connection looks. */
  OTTO_INITIAL_LOOKBACK_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .default(24 * 14),
  /** Orders per page (OTTO caps at 128). */
  OTTO_PAGE_LIMIT: z.coerce.number().int().min(1).max(128).default(128),
  /** Products are re-imported at most this often per connection (they change rarely). */
  OTTO_ARTICLE_IMPORT_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(3600),
  /** Stock changes are collected this long before one POST per connection (≤ 200 SKUs, OTTO-12). */
  OTTO_STOCK_BATCH_MS: z.coerce.number().int().min(0).default(250),
  /** How often a 429 is waited out (Retry-After) before the call gives up for this poll/delivery. */
  OTTO_MAX_RATE_LIMIT_WAITS: z.coerce.number().int().min(0).default(5),
  /** OTTO's shipment API requires a ship-from address: this one for connections without their own `shipFrom`. */
  OTTO_SHIP_FROM_CITY: z.string().min(1).max(60).default('Hamburg'),
  OTTO_SHIP_FROM_ZIP: z.string().min(1).max(10).default('22179'),
  OTTO_SHIP_FROM_COUNTRY: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('DEU'),
});
export type OttoConfig = z.infer<typeof OttoConfigSchema>;

export const OTTO_CONFIG = Symbol('OTTO_CONFIG');
