import { z } from 'zod';
import { OrderStateIdSchema } from '../order/order';
import { CONNECTION_TYPES, type Capability, CONNECTION_TYPE_PROFILES } from './capabilities';

/** CONN-4: never / channel→hub / hub→channel / both (default both). */
export const SyncDirectionSchema = z.enum(['none', 'channelToHub', 'hubToChannel', 'both']);
export type SyncDirection = z.infer<typeof SyncDirectionSchema>;

export const allowsChannelToHub = (d: SyncDirection) => d === 'channelToHub' || d === 'both';
export const allowsHubToChannel = (d: SyncDirection) => d === 'hubToChannel' || d === 'both';

/**
 * The address a connector calls with the merchant's credentials: https (the orders service also
 * refuses internal hosts, and http to hosts its operator has not allowed: CONNECTION_URL_ALLOW_HOSTS).
 */
export const ChannelUrlSchema = z
  .url({ protocol: /^https?$/, error: 'an https URL' })
  .max(2000)
  .describe('https URL of a public host (http and internal hosts only where the operator allows them)');

/** Which settings of a type are such addresses. */
export const CONNECTION_URL_SETTINGS = {
  otto: ['apiBaseUrl'],
  serverspot: ['apiUrl'],
  jimdo: [],
  wemalo: ['apiBaseUrl'],
} as const satisfies Record<(typeof CONNECTION_TYPES)[number], readonly string[]>;

const secret = z.string().min(1).max(2000);

/** CONN-4: settings every connection has. */
const common = {
  name: z.string().trim().min(1).max(200),
  syncDirection: SyncDirectionSchema.default('both'),
  importOrders: z.boolean().default(true),
  active: z.boolean().default(true),
  /** Minutes between polls (connectors that poll); per connection. */
  pollIntervalSeconds: z.number().int().min(5).max(86_400).default(60),
};

/** OTTO-1 */
export const OttoSettingsSchema = z.object({
  ...common,
  lockPositions: z.boolean().default(true),
  /** Base URL of the OTTO Market API (the simulator in tests and the demo). */
  apiBaseUrl: ChannelUrlSchema.default('https://api.otto.market'),
  /**
   * The merchant's warehouse, sent as OTTO's `shipFromAddress` with every shipment (required by OTTO).
   * Without it the connector's deployment default (OTTO_SHIP_FROM_*) is used.
   */
  shipFrom: z
    .object({
      city: z.string().trim().min(1).max(60),
      zipCode: z.string().trim().min(1).max(10),
      /** ISO 3166-1 alpha-3, as OTTO expects (DEU, AUT …). */
      countryCode: z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO 3166-1 alpha-3 code such as DEU'),
    })
    .optional(),
});
export const OttoSecretsSchema = z.object({ username: secret, password: secret });

/** SSP-1 */
export const ServerspotSettingsSchema = z.object({
  ...common,
  apiUrl: ChannelUrlSchema,
  basicAuthUser: z.string().max(200).optional(),
  lockPositionsForbidInvoices: z.boolean().default(false),
  priceAdjustmentArticleSku: z.string().max(200).optional(),
  smtpServer: z.string().max(300).optional(),
  paymentDueDays: z.number().int().min(0).max(365).default(14),
});
export const ServerspotSecretsSchema = z.object({
  shopKey: secret,
  basicAuthPassword: z.string().max(2000).optional(),
});

/** JIM-2: a manual shop; its id makes the inbound address. */
export const JimdoSettingsSchema = z.object({
  ...common,
  /** The merchant's own address for the forward copy of every inbound mail (JIM-4). */
  forwardTo: z.email(),
});
export const JimdoSecretsSchema = z.object({});

/** WEM-1 */
export const WemaloSettingsSchema = z.object({
  ...common,
  apiBaseUrl: ChannelUrlSchema.default('https://connect.wemalo.com/v1'),
  orderStateId: OrderStateIdSchema.default(3),
  storageLocationId: z.number().int().min(0).default(0),
  ordersTag: z.string().trim().min(1).max(100).default('wemalo'),
  /** WEM-2: minutes between sweeps. */
  syncIntervalMinutes: z.number().int().min(1).max(1440).default(60),
});
export const WemaloSecretsSchema = z.object({ apiToken: secret });

export const ConnectionSettingsByType = {
  otto: OttoSettingsSchema,
  serverspot: ServerspotSettingsSchema,
  jimdo: JimdoSettingsSchema,
  wemalo: WemaloSettingsSchema,
} as const;
export const ConnectionSecretsByType = {
  otto: OttoSecretsSchema,
  serverspot: ServerspotSecretsSchema,
  jimdo: JimdoSecretsSchema,
  wemalo: WemaloSecretsSchema,
} as const;

export const ConnectionTypeSchema = z.enum(CONNECTION_TYPES);

/**
 * Issue 15: saving a connection runs the channel's check (e.g. Serverspot: URL, shop key, login) and
 * answers 422 with the channel's reason; `verify: false` saves without it (offline setup).
 */
const verify = {
  verify: z
    .boolean()
    .default(true)
    .describe("Run the channel's connection check before saving (422 with its reason); false saves without it, e.g. for offline setup"),
};

/** Create request: settings and write-only secrets of the chosen type (CONN-1). */
export const CreateConnectionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('otto'), settings: OttoSettingsSchema, secrets: OttoSecretsSchema, ...verify }),
  z.object({ type: z.literal('serverspot'), settings: ServerspotSettingsSchema, secrets: ServerspotSecretsSchema, ...verify }),
  z.object({ type: z.literal('jimdo'), settings: JimdoSettingsSchema, secrets: JimdoSecretsSchema.default({}), ...verify }),
  z.object({ type: z.literal('wemalo'), settings: WemaloSettingsSchema, secrets: WemaloSecretsSchema, ...verify }),
]);
export type CreateConnection = z.infer<typeof CreateConnectionSchema>;

export const UpdateConnectionSchema = z.object({
  settings: z.record(z.string().max(100), z.unknown()).optional(),
  secrets: z.record(z.string().max(100), z.string().max(2000)).optional(),
  ...verify,
});

/** "Test connection" of a saved connection: unsaved changes to try with the stored settings and secrets. */
export const TestConnectionSchema = UpdateConnectionSchema.omit({ verify: true });
/** What a connection test found; a refusal is a 422 problem with the channel's reason instead. */
export const ConnectionTestResultSchema = z.object({
  type: ConnectionTypeSchema,
  checked: z.boolean().describe('false: this channel type has no check before its first poll'),
  detail: z.string(),
});
export type ConnectionTestResult = z.infer<typeof ConnectionTestResultSchema>;

/** What the API returns: never the secrets, only which secret fields are set. */
export const ConnectionViewSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  type: ConnectionTypeSchema,
  settings: z.record(z.string(), z.unknown()),
  secretsSet: z.array(z.string()),
  capabilities: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ConnectionView = z.infer<typeof ConnectionViewSchema>;

/**
 * What a connector receives: settings plus the secrets still encrypted (AES-256-GCM envelope),
 * so credentials never cross NATS in clear text; connectors hold the same key ring.
 */
export const ConnectorConnectionSchema = ConnectionViewSchema.extend({
  encryptedSecrets: z.string(),
});
export type ConnectorConnection = z.infer<typeof ConnectorConnectionSchema>;

export function capabilitiesOf(type: z.infer<typeof ConnectionTypeSchema>): readonly Capability[] {
  return CONNECTION_TYPE_PROFILES[type].capabilities;
}

/** Published on `Notices.connectionChanged` after the change is stored. */
export const ConnectionChangedNoticeSchema = z.object({
  connectionId: z.string().min(1),
  accountId: z.string().min(1),
  type: ConnectionTypeSchema,
  change: z.enum(['created', 'updated', 'deleted']),
});
export type ConnectionChangedNotice = z.infer<typeof ConnectionChangedNoticeSchema>;

/** "Sync now" request on `ConnectorTriggers[type]`; with `accountId` the connection must belong to it. */
export const ConnectorTriggerRequestSchema = z.object({
  type: ConnectionTypeSchema.optional(),
  connectionId: z.string().min(1),
  accountId: z.string().optional(),
});
export type ConnectorTriggerRequest = z.infer<typeof ConnectorTriggerRequestSchema>;
export const ConnectorTriggerReplySchema = z.object({ accepted: z.literal(true), connectionId: z.string() });

/** What a connector last saw of a connection (issue 15: a connection that keeps failing is visible). */
export const BreakerStateSchema = z.enum(['closed', 'halfOpen', 'open']);
export type BreakerState = z.infer<typeof BreakerStateSchema>;

export const ConnectionHealthSchema = z.object({
  connectionId: z.string(),
  accountId: z.string(),
  type: ConnectionTypeSchema,
  lastSuccessAt: z.string().optional(),
  lastError: z.object({ at: z.string(), reason: z.string().max(500) }).optional(),
  consecutiveFailures: z.number().int().min(0),
  /** Set while failing: when the current run of failures began. */
  failingSince: z.string().optional(),
  /** The circuit breaker in front of the channel's API, as the last poll or write-back found it. */
  breaker: BreakerStateSchema.optional(),
});
export type ConnectionHealth = z.infer<typeof ConnectionHealthSchema>;
export const ConnectionHealthRequestSchema = z.object({ accountId: z.string().min(1), connectionId: z.string().optional() });

/**
 * A connection's health for the API: the connector's record (nothing yet: no poll so far) with the
 * orders the hub took in from it since `since` (the start of the caller's day).
 */
export const ConnectionHealthViewSchema = z.object({
  connectionId: z.string(),
  type: ConnectionTypeSchema,
  status: z.enum(['ok', 'failing', 'unknown']).describe("'unknown': no poll or write-back recorded yet, or the connector did not answer"),
  lastSuccessAt: z.string().optional(),
  lastError: z.object({ at: z.string(), reason: z.string() }).optional(),
  consecutiveFailures: z.number().int().min(0),
  failingSince: z.string().optional(),
  breaker: BreakerStateSchema.optional(),
  ordersImportedSince: z.number().int().min(0),
  since: z.string(),
});
export type ConnectionHealthView = z.infer<typeof ConnectionHealthViewSchema>;
export const ConnectionHealthQuerySchema = z.object({
  since: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Count orders imported from this time on (default: today 00:00 UTC); the app sends the start of the local day'),
});
export const ConnectionOrderCountSchema = z.object({ connectionId: z.string(), orders: z.number().int().min(0) });
