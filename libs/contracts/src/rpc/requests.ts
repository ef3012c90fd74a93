import { z } from 'zod';
import { AddressSchema, OrderPositionSchema, OrderStateIdSchema, ShipmentTypeSchema } from '../order/order';
import { jsonBytes, OrderLimits } from '../order/limits';
import { orderTotalGross, TOTAL_OVERFLOW_MESSAGE } from '../order/money';
import { ArticleInputSchema, StockEntrySchema } from '../article/article';
import { CreateUserSchema } from '../users/users';
import { ConnectionTypeSchema, CreateConnectionSchema, TestConnectionSchema, UpdateConnectionSchema } from '../connection/connection';

/** Every RPC request names the tenant and the actor; the orders service scopes every query by accountId. */
export const RpcContextSchema = z.object({ accountId: z.string().min(1), actor: z.string().min(1) });

export const ListOrdersQuerySchema = z.object({
  state: z.array(OrderStateIdSchema).optional(),
  connectionId: z.string().optional().describe('Only orders of this connection'),
  tag: z.string().optional().describe('Only orders carrying this tag'),
  from: z.iso.datetime({ offset: true }).optional().describe('Ordered at or after (ISO 8601 with offset)'),
  to: z.iso.datetime({ offset: true }).optional().describe('Ordered before (ISO 8601 with offset)'),
  search: z.string().max(200).optional().describe('Order number, external id or buyer name/e-mail (prefix, case-insensitive)'),
  cursor: z.string().max(500).optional().describe('`nextCursor` of the previous page'),
  /** Coerced: the same schema checks the query string of `GET /orders`. */
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Page size, 1..200 (default 50)'),
});
export type ListOrdersQuery = z.infer<typeof ListOrdersQuerySchema>;

export const ListArticlesQuerySchema = z.object({
  sku: z.string().max(200).optional().describe('Only the article with this SKU'),
  cursor: z.string().max(500).optional().describe('`nextCursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('Page size, 1..500'),
});

export const ListConnectionsQuerySchema = z.object({ type: ConnectionTypeSchema.optional().describe('Only connections of this type') });

export const ChangeStateSchema = z.object({ state: OrderStateIdSchema, comment: z.string().max(2000).optional() });
export const AddShipmentSchema = z.object({
  type: ShipmentTypeSchema.default('shipment'),
  carrier: z.string().trim().min(1).max(100),
  trackingNumber: z.string().trim().min(1).max(200),
  shippingProfile: z.string().max(200).optional(),
  positionExternalIds: z
    .array(z.string().max(200))
    .max(OrderLimits.positionIdsPerShipment)
    .optional()
    .describe(`Channel position ids this parcel carries (partial shipment), at most ${OrderLimits.positionIdsPerShipment}`),
});
const tagList = z
  .array(z.string().trim().min(1).max(OrderLimits.tagLength))
  .max(OrderLimits.tagsPerRequest)
  .describe(
    `At most ${OrderLimits.tagsPerRequest} tags of up to ${OrderLimits.tagLength} characters; an order holds at most ${OrderLimits.tagsPerOrder}`,
  );
export const ChangeTagsSchema = z
  .object({ add: tagList.default([]), remove: tagList.default([]) })
  .refine((v) => v.add.length + v.remove.length > 0, 'add or remove at least one tag');
export const CancelOrderSchema = z.object({
  reason: z.string().max(2000).optional(),
  /** Cancel only these positions (refused for OTTO orders: OTTO-8). */
  positionExternalIds: z.array(z.string().max(200)).max(OrderLimits.positionsPerOrder).optional(),
});
/** A new set of positions: bounded in count and bytes, and their totals add up to a finite amount. */
const positionList = z
  .array(OrderPositionSchema)
  .min(1)
  .max(OrderLimits.positionsPerOrder)
  .superRefine((positions, ctx) => {
    if (!Number.isFinite(orderTotalGross(positions, 0))) ctx.addIssue({ code: 'custom', message: TOTAL_OVERFLOW_MESSAGE });
    const bytes = jsonBytes(positions);
    if (bytes > OrderLimits.channelOrderBytes) {
      ctx.addIssue({ code: 'custom', message: `the positions take ${bytes} bytes; at most ${OrderLimits.channelOrderBytes} are accepted` });
    }
  })
  .describe(
    `1..${OrderLimits.positionsPerOrder} positions, at most ${OrderLimits.channelOrderBytes} bytes as JSON; their totals must add up to a finite amount`,
  );
export const EditPositionsSchema = z.object({ positions: positionList });
export const EditAddressSchema = z.object({ shippingAddress: AddressSchema.optional(), invoiceAddress: AddressSchema.optional() });

export const rpcRequest = <T extends z.ZodType>(body: T) => RpcContextSchema.extend({ body });

/** A connector's parked orders (issue 15): the same requests for every connector that parks orders. */
const parkedOrdersList = rpcRequest(z.object({ connectionId: z.string() }));
const parkedOrderRef = rpcRequest(z.object({ connectionId: z.string(), externalId: z.string() }));

export const RpcRequests = {
  ordersList: rpcRequest(ListOrdersQuerySchema),
  ordersGet: rpcRequest(z.object({ orderId: z.string() })),
  ordersFindByExternalId: rpcRequest(z.object({ connectionId: z.string(), externalId: z.string() })),
  ordersStoredExternalIds: rpcRequest(z.object({ connectionId: z.string(), externalIds: z.array(z.string()).max(500) })),
  ordersChangeState: rpcRequest(ChangeStateSchema.extend({ orderId: z.string() })),
  ordersAddShipment: rpcRequest(AddShipmentSchema.extend({ orderId: z.string() })),
  ordersChangeTags: rpcRequest(z.object({ orderId: z.string(), add: tagList, remove: tagList })),
  ordersCreateInvoice: rpcRequest(z.object({ orderId: z.string() })),
  ordersCancel: rpcRequest(CancelOrderSchema.extend({ orderId: z.string() })),
  ordersEditPositions: rpcRequest(EditPositionsSchema.extend({ orderId: z.string() })),
  ordersResendWriteBack: rpcRequest(z.object({ orderId: z.string() })),
  serverspotParkedOrders: parkedOrdersList,
  serverspotRetryParkedOrder: parkedOrderRef,
  ottoParkedOrders: parkedOrdersList,
  ottoRetryParkedOrder: parkedOrderRef,
  serverspotDropParkedOrder: parkedOrderRef,
  ottoDropParkedOrder: parkedOrderRef,
  ordersRawPayload: rpcRequest(z.object({ orderId: z.string() })),
  connectionsCreate: rpcRequest(CreateConnectionSchema),
  connectionsUpdate: rpcRequest(UpdateConnectionSchema.extend({ connectionId: z.string() })),
  connectionsGet: rpcRequest(z.object({ connectionId: z.string() })),
  connectionsList: rpcRequest(ListConnectionsQuerySchema),
  connectionsDelete: rpcRequest(z.object({ connectionId: z.string() })),
  connectionsTestDraft: rpcRequest(CreateConnectionSchema),
  connectionsTest: rpcRequest(TestConnectionSchema.extend({ connectionId: z.string() })),
  usersCreate: rpcRequest(CreateUserSchema),
  usersList: rpcRequest(z.object({})),
  usersDelete: rpcRequest(z.object({ userId: z.string() })),
  sessionsRevoke: rpcRequest(z.object({ sessionId: z.string() })),
  connectionsOrderCounts: rpcRequest(z.object({ since: z.iso.datetime({ offset: true }) })),
  deadLettersReplay: rpcRequest(z.object({ seq: z.number().int().positive() })),
  articlesList: rpcRequest(ListArticlesQuerySchema),
  articlesGet: rpcRequest(z.object({ articleId: z.string() })),
  articlesUpsert: rpcRequest(ArticleInputSchema.extend({ articleId: z.string().optional() })),
  articlesSetStock: rpcRequest(z.object({ articleId: z.string(), stock: z.array(StockEntrySchema).min(1) })),
};

/** Connectors ask for their work without a tenant: all active connections of their type. */
export const ConnectionsForConnectorRequestSchema = z.object({
  type: ConnectionTypeSchema,
  /** Optional selector so one deployment serves a single large merchant (platform README). */
  accountIds: z.array(z.string()).optional(),
  connectionIds: z.array(z.string()).optional(),
});

export const AccountsCreateRequestSchema = z.object({ name: z.string().trim().min(1).max(200) });
export const AccountsAuthenticateRequestSchema = z.object({ apiKey: z.string().min(10).max(200) });
export const AccountsAuthenticateReplySchema = z.object({ accountId: z.string(), apiKeyId: z.string() });

export interface AccountCreated {
  accountId: string;
  apiKeyId: string;
  /** Shown once; only its hash is stored. */
  apiKey: string;
}

/** A parsed request of one orders-service RPC, as its handler receives it. */
export type RpcRequestOf<K extends keyof typeof RpcRequests> = z.infer<(typeof RpcRequests)[K]>;
