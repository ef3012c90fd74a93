import { BaseConfigSchema, MongoPoolEnv, envBoolean } from '@orderhub/platform';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/** mail-ingest settings on top of the shared ones; an invalid value stops the process at start. */
export const MailIngestConfigSchema = BaseConfigSchema.extend({
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8084),
  /** Its own database (mail store, forward outbox, import jobs); never the orders database. */
  MONGO_URL: z.string().min(1).default('mongodb://127.0.0.1:27017/orderhub_mail'),
  ...MongoPoolEnv,
  SMTP_HOST: z.string().default('0.0.0.0'),
  SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  /** Name announced in the greeting/EHLO answer. */
  SMTP_SERVER_NAME: z.string().default('mail-ingest.orderhub.local'),
  SMTP_TLS_KEY: z.string().optional(),
  SMTP_TLS_CERT: z.string().optional(),
  /** Hard cap on one message (advertised as SIZE; bigger data answers 552). Mongo documents stop at 16 MB. */
  SMTP_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(12 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  SMTP_MAX_RECIPIENTS: z.coerce.number().int().min(1).max(1000).default(20),
  SMTP_MAX_CLIENTS: z.coerce.number().int().min(1).default(100),
  SMTP_SOCKET_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
  INBOUND_MAIL_DOMAIN: z.string().min(1).default('orders.orderhub.local'),
  /** How often the jimdo connection list is refreshed (a cache miss refreshes at once, rate-limited). */
  CONNECTIONS_REFRESH_MS: z.coerce.number().int().min(500).default(60_000),
  CONNECTIONS_MISS_REFRESH_MIN_MS: z.coerce.number().int().min(0).default(1_000),
  /** Worker: how often the store is polled for work, and how long a claim lasts before another worker may take over. */
  MAIL_POLL_MS: z.coerce.number().int().min(50).default(1_000),
  MAIL_LEASE_MS: z.coerce.number().int().min(500).default(30_000),
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(10),
  /** How often a CSV job whose orders are all handed in asks whether the orders service has stored them. */
  IMPORT_STORED_POLL_MS: z.coerce.number().int().min(50).default(500),
  /**
   * Mails processed at once, and the raw bytes they may hold together (a mail alone always runs: SMTP
   * caps its size). A mail mostly waits (store, connection list, NATS), so the channel's rate is about
   * MAIL_WORKERS / per-mail latency.
   */
  MAIL_WORKERS: z.coerce.number().int().min(1).max(64).default(16),
  MAIL_WORKER_BYTES_IN_FLIGHT: z.coerce
    .number()
    .int()
    .min(1024)
    .default(16 * 1024 * 1024),
  FORWARD_ENABLED: envBoolean(true),
  FORWARD_SMTP_HOST: z.string().default('127.0.0.1'),
  FORWARD_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(1025),
  FORWARD_SMTP_SECURE: envBoolean(false),
  FORWARD_SMTP_USER: z.string().optional(),
  FORWARD_SMTP_PASSWORD: z.string().optional(),
  /** Envelope sender of forward copies; an inbound mail with this envelope sender came from us (loop). */
  FORWARD_ENVELOPE_FROM: z.string().optional(),
  FORWARD_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(12),
  FORWARD_BACKOFF_MS: z
    .string()
    .default('2000,10000,60000,300000,900000,3600000')
    .transform((v) =>
      v
        .split(',')
        .map((n) => Number(n.trim()))
        .filter((n) => Number.isFinite(n) && n >= 0),
    ),
  /** CSV/XLSX upload cap and where uploads are spooled while they are processed. */
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(200 * 1024 * 1024),
  IMPORT_SPOOL_DIR: z.string().optional(),
  /** A running import job is abandoned (failed with the reason) when its process has not extended its lease for this long. */
  IMPORT_JOB_LEASE_MS: z.coerce.number().int().min(1000).default(60_000),
  /** How often abandoned jobs are failed and their leftover spool files removed. */
  IMPORT_JOB_SWEEP_MS: z.coerce.number().int().min(500).default(30_000),
  /** Orders of one import job handed in at the same time (each: duplicate check, JetStream publish, ledger write). */
  IMPORT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /**
   * Bounds that keep one upload from exhausting memory (mail-ingest also takes every tenant's order
   * mails): a CSV record longer than IMPORT_MAX_RECORD_CHARS or an xlsx whose parts expand past
   * IMPORT_XLSX_MAX_EXPANDED_BYTES (shared strings past IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES) is
   * refused with the reason; an order with more rows than IMPORT_MAX_ROWS_PER_ORDER is an error;
   * a cell longer than IMPORT_MAX_CELL_CHARS is cut with a warning on its row.
   */
  IMPORT_MAX_CELL_CHARS: z.coerce.number().int().min(10).default(1000),
  IMPORT_MAX_RECORD_CHARS: z.coerce
    .number()
    .int()
    .min(1024)
    .default(256 * 1024),
  IMPORT_MAX_ROWS_PER_ORDER: z.coerce.number().int().min(1).default(1000),
  IMPORT_XLSX_MAX_EXPANDED_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(512 * 1024 * 1024),
  IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(32 * 1024 * 1024),
});
export type MailIngestConfig = z.infer<typeof MailIngestConfigSchema>;

export const MAIL_CONFIG = Symbol('MAIL_CONFIG');

export function importSpoolDir(config: MailIngestConfig): string {
  return config.IMPORT_SPOOL_DIR ?? join(tmpdir(), 'orderhub-mail-ingest-imports');
}

export function forwardEnvelopeFrom(config: MailIngestConfig): string {
  return (config.FORWARD_ENVELOPE_FROM ?? `mail-forward@${config.INBOUND_MAIL_DOMAIN}`).toLowerCase();
}
