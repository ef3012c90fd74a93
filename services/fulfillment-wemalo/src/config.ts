import { z } from 'zod';
import { ConnectorConfigSchema } from '@orderhub/connector-kit';

export const WemaloConfigSchema = ConnectorConfigSchema.extend({
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8085),
  /** Public base URL of this service; when set, wemalo pushes `status_update` / `trackingnumber_added` here. */
  WEMALO_WEBHOOK_BASE_URL: z.url().optional(),
  /**
   * Dev/test only: sweep every N seconds instead of the connection's syncIntervalMinutes (WEM-2 allows
   * at least one minute, which is too slow for an integration test).
   */
  WEMALO_SWEEP_SECONDS_OVERRIDE: z.coerce.number().int().min(1).optional(),
  /** Page size when listing hub orders and articles in a sweep. */
  WEMALO_SWEEP_PAGE_SIZE: z.coerce.number().int().min(1).max(200).default(100),
});
export type WemaloConfig = z.infer<typeof WemaloConfigSchema>;

export const WEMALO_CONFIG = Symbol('WEMALO_CONFIG');
