import { z } from 'zod';
import { BaseConfigSchema } from '@orderhub/platform';

const idList = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** Settings every connector has, on top of the platform's. */
export const ConnectorConfigSchema = BaseConfigSchema.extend({
  SECRETS_KEYS: z.string().min(1, 'SECRETS_KEYS is required (e.g. "k1:<base64 32 bytes>")'),
  SECRETS_ACTIVE_KEY: z.string().min(1),
  /** Serve only these accounts / connections: one deployment for one large merchant. Empty = all. */
  CONNECTION_ACCOUNT_IDS: idList,
  CONNECTION_IDS: idList,
  /** How often the scheduler looks for due work and renews leases. */
  POLL_TICK_MS: z.coerce.number().int().min(50).default(1_000),
  /** A replica that stops renewing loses its connections after this long. */
  LEASE_TTL_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** Backstop re-read of the connection list; changes arrive at once as `connection.changed` notices. */
  CONNECTION_REFRESH_MS: z.coerce.number().int().min(100).default(60_000),
  /** An unknown connection id re-reads the list, at most this often. */
  CONNECTION_MISS_REFRESH_MIN_MS: z.coerce.number().int().min(0).default(1_000),
  REPLICA_ID: z.string().optional(),
});
export type ConnectorConfig = z.infer<typeof ConnectorConfigSchema>;
