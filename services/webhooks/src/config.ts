import { z } from 'zod';
import { BaseConfigSchema, MongoPoolEnv, SecretBox } from '@orderhub/platform';

export const WebhooksConfigSchema = BaseConfigSchema.extend({
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8086),
  /**
   * Its own database (subscriptions, deliveries): delivery bookkeeping is written on every attempt and
   * would otherwise compete with order writes in the orders database; it holds no order data.
   */
  MONGO_URL: z.string().min(1).default('mongodb://127.0.0.1:27017/orderhub_webhooks'),
  ...MongoPoolEnv,
  /** The key ring every service has; subscription secrets are stored encrypted with it. */
  SECRETS_KEYS: z.string().min(1),
  SECRETS_ACTIVE_KEY: z.string().min(1),
  /** How often the store is searched for due retries (new deliveries are tried at once). */
  WEBHOOK_POLL_MS: z.coerce.number().int().min(50).default(1_000),
  /** How long one replica holds a delivery it is sending before another may take it over. */
  WEBHOOK_LEASE_MS: z.coerce.number().int().min(1_000).default(60_000),
  /** Wait after the first failed attempt; doubles with each further failure (Billbee: 1 min, then 4 min). */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(60_000),
  /** Longest wait between two attempts. */
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).default(3_600_000),
  /** A subscriber failing this long without a success is disabled (its pending deliveries abandoned). */
  WEBHOOK_DISABLE_AFTER_MS: z.coerce.number().int().min(1_000).default(86_400_000),
  /** Timeout of one delivery request. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Deliveries sent at once by this replica. */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(8),
  /**
   * How long a replica answers "who subscribed to this account's events" from memory (0: never).
   * Changes reach every replica at once by a notice; this bounds a notice lost in a NATS outage.
   */
  WEBHOOK_SUBSCRIPTIONS_CACHE_MS: z.coerce.number().int().min(0).default(5_000),
}).superRefine((cfg, ctx) => {
  try {
    SecretBox.fromEnv(cfg.SECRETS_KEYS, cfg.SECRETS_ACTIVE_KEY);
  } catch (err) {
    ctx.addIssue({ code: 'custom', path: ['SECRETS_KEYS'], message: err instanceof Error ? err.message : String(err) });
  }
});
export type WebhooksConfig = z.infer<typeof WebhooksConfigSchema>;

export const WEBHOOKS_CONFIG = Symbol('WEBHOOKS_CONFIG');
