import { z } from 'zod';
import { ConnectorConfigSchema } from '@orderhub/connector-kit';

export const ServerspotConfigSchema = ConnectorConfigSchema.extend({
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8083),
  /** Orders per GetOrders page (always sent: the SDK's default page size for orders is 1). */
  SERVERSPOT_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  /** GetOrders asks from the checkpoint minus this much: orders written while we polled, clock drift. */
  SERVERSPOT_OVERLAP_SECONDS: z.coerce.number().int().min(0).default(600),
  /** First poll of a new connection reaches this far back. */
  SERVERSPOT_INITIAL_LOOKBACK_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  /** How long a poll waits for the orders service to persist submitted orders before it acks them. */
  SERVERSPOT_PERSIST_WAIT_MS: z.coerce.number().int().min(0).default(5_000),
  /** Article import (GetProducts) runs at most this often per connection. */
  SERVERSPOT_ARTICLE_IMPORT_INTERVAL_MS: z.coerce.number().int().min(1_000).default(3_600_000),
  /** Shop product ids by SKU are re-read after this long (SetStock needs the shop's product id). */
  SERVERSPOT_PRODUCT_CACHE_MS: z.coerce.number().int().min(0).default(300_000),
  SERVERSPOT_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
});
export type ServerspotConfig = z.infer<typeof ServerspotConfigSchema>;

export const SERVERSPOT_CONFIG = Symbol('SERVERSPOT_CONFIG');
