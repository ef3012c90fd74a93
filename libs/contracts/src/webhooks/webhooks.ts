import { z } from 'zod';
import { rpcRequest } from '../rpc/requests';

/**
 * Webhook subscriptions and deliveries, served by the webhooks service over RPC (`Rpc.webhooks*`).
 * Filters use the names of `BillbeeWebhookFilters` (`order.created`, …) or `*`.
 */
export const WebhookSubscriptionInputSchema = z.object({
  uri: z.url({ protocol: /^https?$/ }),
  /** HMAC-SHA256 key of the `ms-signature` header; 32–64 characters as in Billbee. Write-only. */
  secret: z.string().min(32).max(64),
  description: z.string().max(1000).optional(),
  paused: z.boolean().default(false),
  filters: z.array(z.string().min(1).max(100)).min(1).max(50),
  /** Extra headers sent with every delivery. */
  headers: z.record(z.string(), z.string().max(2000)).default({}),
  /** Echoed in every delivery body (`Properties`). */
  properties: z.record(z.string(), z.unknown()).default({}),
  /** Skip the echo test on registration (Billbee: `?noecho` in the URI does the same). */
  noEcho: z.boolean().default(false),
});
export type WebhookSubscriptionInput = z.infer<typeof WebhookSubscriptionInputSchema>;

export const WebhookSubscriptionSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  uri: z.string(),
  description: z.string().optional(),
  paused: z.boolean(),
  filters: z.array(z.string()),
  headers: z.record(z.string(), z.string()),
  properties: z.record(z.string(), z.unknown()),
  /** Set when the hub stopped delivering: a subscriber failing for a day is disabled with the reason. */
  disabledAt: z.string().optional(),
  disabledReason: z.string().optional(),
  /** First failure of the current run of failures (cleared by a success). */
  failingSince: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type WebhookSubscription = z.infer<typeof WebhookSubscriptionSchema>;

export const WebhookDeliveryStatusSchema = z.enum(['pending', 'delivered', 'failed', 'abandoned']);
export const WebhookDeliverySchema = z.object({
  /** Stable over retries (the body's `Id`): receivers deduplicate on it. */
  id: z.string(),
  subscriptionId: z.string(),
  eventId: z.string(),
  action: z.string(),
  orderId: z.string().optional(),
  status: WebhookDeliveryStatusSchema,
  attempts: z.number().int(),
  nextAttemptAt: z.string().optional(),
  lastAttemptAt: z.string().optional(),
  /** HTTP status of the last attempt (absent when it did not get an answer). */
  lastStatus: z.number().int().optional(),
  lastError: z.string().optional(),
  deliveredAt: z.string().optional(),
  createdAt: z.string(),
});
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

export const WebhookRpcRequests = {
  list: rpcRequest(z.object({})),
  get: rpcRequest(z.object({ subscriptionId: z.string() })),
  create: rpcRequest(WebhookSubscriptionInputSchema),
  /** Replaces the subscription's settings; `secret` may be left out to keep the current one. */
  update: rpcRequest(WebhookSubscriptionInputSchema.partial({ secret: true }).extend({ subscriptionId: z.string() })),
  delete: rpcRequest(z.object({ subscriptionId: z.string() })),
  deleteAll: rpcRequest(z.object({})),
  deliveries: rpcRequest(
    z.object({
      subscriptionId: z.string().optional(),
      status: WebhookDeliveryStatusSchema.optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
  ),
};

/** A parsed request of one webhooks-service RPC, as its handler receives it. */
export type WebhookRpcRequestOf<K extends keyof typeof WebhookRpcRequests> = z.infer<(typeof WebhookRpcRequests)[K]>;

/** Sent by the webhooks replica that changed an account's subscriptions; the others forget their copy. */
export const WebhooksChangedNoticeSchema = z.object({ accountId: z.string().min(1) });
export type WebhooksChangedNotice = z.infer<typeof WebhooksChangedNoticeSchema>;
