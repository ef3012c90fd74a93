import { z } from 'zod';
import { OrderSchema, OrderStateIdSchema } from '../order/order';
import { rpcRequest } from '../rpc/requests';

/** `Rpc.ordersPage`: page numbers from 1 and a total, filters taking several values. */
export const OrdersPageQuerySchema = z.object({
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(250).default(50),
  /**
   * Rows to skip instead of `(page - 1) * pageSize`. One reply is one NATS message (1 MB at most), so
   * the orders service stops a page early when the next order would not fit (`OrdersPageReply.cut`) and
   * the caller asks again from where it stopped.
   */
  offset: z.number().int().min(0).optional(),
  /** Count the matching orders (`totalRows`); only the first part of a page needs it. */
  withTotal: z.boolean().default(true),
  states: z.array(OrderStateIdSchema).default([]),
  connectionIds: z.array(z.string()).default([]),
  /** Orders carrying all of these tags (with `excludeTags`: none of them). */
  tags: z.array(z.string()).default([]),
  excludeTags: z.boolean().default(false),
  orderedFrom: z.iso.datetime({ offset: true }).optional(),
  orderedTo: z.iso.datetime({ offset: true }).optional(),
  /** Last change strictly after `modifiedAfter`, at or before `modifiedUntil`. */
  modifiedAfter: z.iso.datetime({ offset: true }).optional(),
  modifiedUntil: z.iso.datetime({ offset: true }).optional(),
});
export type OrdersPageQuery = z.infer<typeof OrdersPageQuerySchema>;

export const OrdersPageReplySchema = z.object({
  items: z.array(OrderSchema),
  totalRows: z.number().int().optional(),
  /** The reply stopped before `pageSize` orders because the next one would not fit into one message. */
  cut: z.boolean().default(false),
});
export type OrdersPageReply = z.infer<typeof OrdersPageReplySchema>;

export const BillbeeCredentialsCreateSchema = z.object({
  /** The Basic-auth user name; default: derived from the account. Unique across accounts. */
  username: z.string().trim().min(3).max(200).optional(),
});

export const BillbeeRpcRequests = {
  ordersPage: rpcRequest(OrdersPageQuerySchema),
  orderResolve: rpcRequest(z.object({ billbeeOrderId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) })),
  credentialsCreate: rpcRequest(BillbeeCredentialsCreateSchema),
  credentialsList: rpcRequest(z.object({})),
  credentialsRevoke: rpcRequest(z.object({ credentialId: z.string() })),
};

/** The gateway asks without a tenant: the credentials name it. */
export const BillbeeAuthenticateRequestSchema = z.object({
  apiKey: z.string().min(1).max(200),
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(200),
});
export const BillbeeAuthenticateReplySchema = z.object({ accountId: z.string(), credentialId: z.string(), username: z.string() });

export const BillbeeCredentialViewSchema = z.object({ id: z.string(), username: z.string(), createdAt: z.string() });
export type BillbeeCredentialView = z.infer<typeof BillbeeCredentialViewSchema>;

/** Shown once at creation; only hashes are stored. */
export const BillbeeCredentialCreatedSchema = BillbeeCredentialViewSchema.extend({ apiKey: z.string(), password: z.string() });
export type BillbeeCredentialCreated = z.infer<typeof BillbeeCredentialCreatedSchema>;

/** A parsed request of one Billbee-credentials RPC, as its handler receives it. */
export type BillbeeRpcRequestOf<K extends keyof typeof BillbeeRpcRequests> = z.infer<(typeof BillbeeRpcRequests)[K]>;
