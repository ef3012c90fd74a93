import { BaseConfigSchema } from '@orderhub/platform';
import { z } from 'zod';

export const GatewayConfigSchema = BaseConfigSchema.extend({
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** `/metrics` is served here, for the cluster's Prometheus only; the public HTTP port does not serve it. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** Per API key: sustained requests per second and burst size. */
  RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(20),
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(40),
  /** Failed authentications per client address per minute, and for all addresses together per minute. */
  AUTH_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  AUTH_FAILURES_GLOBAL: z.coerce.number().int().min(1).default(600),
  /** Express `trust proxy`: hops of proxies in front of the gateway whose X-Forwarded-For names the client. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
  /** Largest JSON request body accepted; larger bodies get 413. */
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  /** How long a successful key check is remembered; capped at 30 s so a revoked key stops working quickly. */
  AUTH_CACHE_TTL_MS: z.coerce.number().int().min(0).max(30_000).default(15_000),
  /** How long an unknown key is remembered as unknown (no orders-service lookup for it meanwhile). */
  AUTH_NEGATIVE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  /** Timeout of RPC calls to the orders service. */
  RPC_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** How long an on-demand sync waits for a connector to acknowledge. */
  CONNECTOR_TRIGGER_TIMEOUT_MS: z.coerce.number().int().min(100).default(3_000),
  /** mail-ingest's HTTP API (CSV/XLSX import jobs); cluster-internal, it trusts the X-Account-Id we set. */
  MAIL_INGEST_URL: z.url().default('http://127.0.0.1:8084'),
  /** Cap of a streamed import upload (not BODY_LIMIT_BYTES: the file is piped, never buffered); larger → 413. */
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(200 * 1024 * 1024),
  /** mail-ingest calls: whole-call timeout for reads, idle (no bytes either way) timeout for uploads. */
  /** The built web app served at `/` (default: apps/web/dist of this checkout); nothing is served when it is missing. */
  WEB_APP_DIR: z.string().min(1).optional(),
  MAIL_INGEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
});
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
