import { z } from 'zod';
import { BaseConfigSchema, MongoPoolEnv, SecretBox } from '@orderhub/platform';

export const OrdersConfigSchema = BaseConfigSchema.extend({
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
  MONGO_URL: z.string().min(1),
  ...MongoPoolEnv,
  /** `k1:<base64 32 bytes>,k2:…`: the key ring for channel credentials (AES-256-GCM). */
  SECRETS_KEYS: z.string().min(1),
  SECRETS_ACTIVE_KEY: z.string().min(1),
  /** JIM-2: Jimdo connections receive mail at `<connectionId>-jimdo-orderimport@<this domain>`. */
  INBOUND_MAIL_DOMAIN: z.string().min(1).default('orders.orderhub.local'),
  /** The relay also runs right after each write; the poll catches what other replicas or a crash left. */
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(200),
  /** How long one replica owns a document's outbox before another may take it over. */
  OUTBOX_LEASE_MS: z.coerce.number().int().min(500).default(5_000),
  /**
   * Hosts (names or IPs, comma-separated) a connection URL may name although they are internal or
   * the URL is plain http: the simulators in tests and `npm run dev` (`127.0.0.1,localhost`). Empty in production.
   */
  CONNECTION_URL_ALLOW_HOSTS: z.string().default(''),
  /** How long a connector's connection check may take; the gateway waits RPC_TIMEOUT_MS (10 s) for the whole save. */
  CONNECTION_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).default(8_000),
  /**
   * Every replica sweeps at start, then this often: a full read of the orders for entries whose marker a
   * crash lost between the write and the marker. On FerretDB it costs a minute of CPU at 100k orders,
   * and a restarted replica sweeps anyway, so rarely.
   */
  OUTBOX_SWEEP_MS: z.coerce.number().int().min(1_000).default(900_000),
  /**
   * `mongodb` takes MongoDB's code path (conditional updates, none of FerretDB's fallbacks) whatever
   * the server says. Only for counting that path's database commands on the test database with one
   * writer per order (bench/orders-import): FerretDB's conditional updates are not atomic.
   */
  MONGO_CODE_PATH: z.enum(['auto', 'mongodb']).default('auto'),
  /** How long a web sign-in lasts before the user signs in again (sign-out ends it earlier). */
  SESSION_TTL_MS: z.coerce
    .number()
    .int()
    .min(60_000)
    .default(12 * 3_600_000),
}).superRefine((cfg, ctx) => {
  try {
    SecretBox.fromEnv(cfg.SECRETS_KEYS, cfg.SECRETS_ACTIVE_KEY);
  } catch (err) {
    ctx.addIssue({ code: 'custom', path: ['SECRETS_KEYS'], message: err instanceof Error ? err.message : String(err) });
  }
});
export type OrdersConfig = z.infer<typeof OrdersConfigSchema>;

export const ORDERS_CONFIG = Symbol('ORDERS_CONFIG');
