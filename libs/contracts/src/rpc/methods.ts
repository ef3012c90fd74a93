import { z } from 'zod';
import { ArticleSchema } from '../article/article';
import {
  ConnectionHealthRequestSchema,
  ConnectionHealthSchema,
  ConnectionOrderCountSchema,
  ConnectionTestResultSchema,
  ConnectionViewSchema,
} from '../connection/connection';
import type { ConnectionType } from '../connection/capabilities';
import { MailReprocessingSchema, MailReprocessRequestSchema, ParkedMailListQuerySchema, ParkedMailPageSchema } from '../mail/parked-mail';
import { OrderRawPayloadSchema, OrderSchema } from '../order/order';
import { ParkedChannelOrderListSchema, ParkedChannelOrderSchema, ParkedOrderRetryResultSchema } from '../order/parked-channel-order';
import { ConnectorHealth, Rpc } from '../subjects';
import {
  SessionsAuthenticateReplySchema,
  SessionsAuthenticateRequestSchema,
  SessionsCreateReplySchema,
  SignInSchema,
  UserSchema,
} from '../users/users';
import { pageOf } from './page';
import {
  BillbeeAuthenticateReplySchema,
  BillbeeAuthenticateRequestSchema,
  BillbeeCredentialCreatedSchema,
  BillbeeCredentialViewSchema,
  BillbeeRpcRequests,
  OrdersPageReplySchema,
} from '../billbee/rpc';
import { ApiKeyCreatedSchema, ApiKeyRpcRequests, ApiKeyViewSchema } from '../api-keys/api-keys';
import { WebhookDeliverySchema, WebhookRpcRequests, WebhookSubscriptionSchema } from '../webhooks/webhooks';
import { AccountsAuthenticateReplySchema, AccountsAuthenticateRequestSchema, rpcRequest, RpcRequests } from './requests';

/** One request/reply method: the subject, what the caller sends and what the server answers (`data` of the RpcReply). */
export interface RpcMethod<Req extends z.ZodType = z.ZodType, Rep extends z.ZodType = z.ZodType> {
  subject: string;
  request: Req;
  reply: Rep;
}

const method = <Req extends z.ZodType, Rep extends z.ZodType>(subject: string, request: Req, reply: Rep): RpcMethod<Req, Rep> => ({
  subject,
  request,
  reply,
});

const Deleted = z.object({ deleted: z.literal(true) });

/**
 * Every core-NATS RPC a service offers to another, with request and reply schema. Callers parse the
 * reply with `reply` (RpcClient.invoke), servers validate the request with `request`.
 */
export const RpcMethods = {
  accountsAuthenticate: method(Rpc.accountsAuthenticate, AccountsAuthenticateRequestSchema, AccountsAuthenticateReplySchema),
  apiKeysCreate: method(Rpc.apiKeysCreate, ApiKeyRpcRequests.create, ApiKeyCreatedSchema),
  apiKeysList: method(Rpc.apiKeysList, ApiKeyRpcRequests.list, z.array(ApiKeyViewSchema)),
  apiKeysRevoke: method(Rpc.apiKeysRevoke, ApiKeyRpcRequests.revoke, z.object({ revoked: z.literal(true) })),
  ordersList: method(Rpc.ordersList, RpcRequests.ordersList, pageOf(OrderSchema)),
  ordersGet: method(Rpc.ordersGet, RpcRequests.ordersGet, OrderSchema),
  ordersChangeState: method(Rpc.ordersChangeState, RpcRequests.ordersChangeState, OrderSchema),
  ordersAddShipment: method(Rpc.ordersAddShipment, RpcRequests.ordersAddShipment, OrderSchema),
  ordersChangeTags: method(Rpc.ordersChangeTags, RpcRequests.ordersChangeTags, OrderSchema),
  ordersCreateInvoice: method(Rpc.ordersCreateInvoice, RpcRequests.ordersCreateInvoice, OrderSchema),
  ordersCancel: method(Rpc.ordersCancel, RpcRequests.ordersCancel, OrderSchema),
  ordersEditPositions: method(Rpc.ordersEditPositions, RpcRequests.ordersEditPositions, OrderSchema),
  connectionsCreate: method(Rpc.connectionsCreate, RpcRequests.connectionsCreate, ConnectionViewSchema),
  connectionsUpdate: method(Rpc.connectionsUpdate, RpcRequests.connectionsUpdate, ConnectionViewSchema),
  connectionsGet: method(Rpc.connectionsGet, RpcRequests.connectionsGet, ConnectionViewSchema),
  connectionsList: method(Rpc.connectionsList, RpcRequests.connectionsList, z.array(ConnectionViewSchema)),
  connectionsDelete: method(Rpc.connectionsDelete, RpcRequests.connectionsDelete, Deleted),
  connectionsTestDraft: method(Rpc.connectionsTestDraft, RpcRequests.connectionsTestDraft, ConnectionTestResultSchema),
  connectionsTest: method(Rpc.connectionsTest, RpcRequests.connectionsTest, ConnectionTestResultSchema),
  usersCreate: method(Rpc.usersCreate, RpcRequests.usersCreate, UserSchema),
  usersList: method(Rpc.usersList, RpcRequests.usersList, z.array(UserSchema)),
  usersDelete: method(Rpc.usersDelete, RpcRequests.usersDelete, Deleted),
  sessionsCreate: method(Rpc.sessionsCreate, SignInSchema, SessionsCreateReplySchema),
  sessionsAuthenticate: method(Rpc.sessionsAuthenticate, SessionsAuthenticateRequestSchema, SessionsAuthenticateReplySchema),
  sessionsRevoke: method(Rpc.sessionsRevoke, RpcRequests.sessionsRevoke, z.object({ revoked: z.literal(true) })),
  connectionsOrderCounts: method(Rpc.connectionsOrderCounts, RpcRequests.connectionsOrderCounts, z.array(ConnectionOrderCountSchema)),
  deadLettersReplay: method(Rpc.deadLettersReplay, RpcRequests.deadLettersReplay, z.object({ replayed: z.literal(true) })),
  articlesList: method(Rpc.articlesList, RpcRequests.articlesList, pageOf(ArticleSchema)),
  articlesGet: method(Rpc.articlesGet, RpcRequests.articlesGet, ArticleSchema),
  articlesUpsert: method(Rpc.articlesUpsert, RpcRequests.articlesUpsert, ArticleSchema),
  articlesSetStock: method(Rpc.articlesSetStock, RpcRequests.articlesSetStock, ArticleSchema),
  mailParkedList: method(Rpc.mailParkedList, rpcRequest(ParkedMailListQuerySchema), ParkedMailPageSchema),
  mailReprocess: method(Rpc.mailReprocess, rpcRequest(MailReprocessRequestSchema), MailReprocessingSchema),
  mailDrop: method(Rpc.mailDrop, rpcRequest(MailReprocessRequestSchema), z.object({ dropped: z.literal(true) })),
  ordersResendWriteBack: method(Rpc.ordersResendWriteBack, RpcRequests.ordersResendWriteBack, OrderSchema),
  ordersRawPayload: method(Rpc.ordersRawPayload, RpcRequests.ordersRawPayload, OrderRawPayloadSchema),
  serverspotParkedOrders: method(Rpc.serverspotParkedOrders, RpcRequests.serverspotParkedOrders, ParkedChannelOrderListSchema),
  serverspotRetryParkedOrder: method(Rpc.serverspotRetryParkedOrder, RpcRequests.serverspotRetryParkedOrder, ParkedOrderRetryResultSchema),
  ottoParkedOrders: method(Rpc.ottoParkedOrders, RpcRequests.ottoParkedOrders, ParkedChannelOrderListSchema),
  ottoRetryParkedOrder: method(Rpc.ottoRetryParkedOrder, RpcRequests.ottoRetryParkedOrder, ParkedOrderRetryResultSchema),
  serverspotDropParkedOrder: method(Rpc.serverspotDropParkedOrder, RpcRequests.serverspotDropParkedOrder, ParkedChannelOrderSchema),
  ottoDropParkedOrder: method(Rpc.ottoDropParkedOrder, RpcRequests.ottoDropParkedOrder, ParkedChannelOrderSchema),
  ordersFindByExternalId: method(Rpc.ordersFindByExternalId, RpcRequests.ordersFindByExternalId, OrderSchema),
  ordersStoredExternalIds: method(
    Rpc.ordersStoredExternalIds,
    RpcRequests.ordersStoredExternalIds,
    z.object({ externalIds: z.array(z.string()) }),
  ),
  ordersPage: method(Rpc.ordersPage, BillbeeRpcRequests.ordersPage, OrdersPageReplySchema),
  billbeeOrderResolve: method(Rpc.billbeeOrderResolve, BillbeeRpcRequests.orderResolve, z.object({ orderId: z.string() })),
  billbeeCredentialsCreate: method(Rpc.billbeeCredentialsCreate, BillbeeRpcRequests.credentialsCreate, BillbeeCredentialCreatedSchema),
  billbeeCredentialsList: method(Rpc.billbeeCredentialsList, BillbeeRpcRequests.credentialsList, z.array(BillbeeCredentialViewSchema)),
  billbeeCredentialsRevoke: method(
    Rpc.billbeeCredentialsRevoke,
    BillbeeRpcRequests.credentialsRevoke,
    z.object({ revoked: z.literal(true) }),
  ),
  billbeeAuthenticate: method(Rpc.billbeeAuthenticate, BillbeeAuthenticateRequestSchema, BillbeeAuthenticateReplySchema),
  webhooksList: method(Rpc.webhooksList, WebhookRpcRequests.list, z.array(WebhookSubscriptionSchema)),
  webhooksGet: method(Rpc.webhooksGet, WebhookRpcRequests.get, WebhookSubscriptionSchema),
  webhooksCreate: method(Rpc.webhooksCreate, WebhookRpcRequests.create, WebhookSubscriptionSchema),
  webhooksUpdate: method(Rpc.webhooksUpdate, WebhookRpcRequests.update, WebhookSubscriptionSchema),
  webhooksDelete: method(Rpc.webhooksDelete, WebhookRpcRequests.delete, Deleted),
  webhooksDeleteAll: method(Rpc.webhooksDeleteAll, WebhookRpcRequests.deleteAll, z.object({ deleted: z.number().int() })),
  webhooksDeliveries: method(Rpc.webhooksDeliveries, WebhookRpcRequests.deliveries, z.array(WebhookDeliverySchema)),
} satisfies Record<string, RpcMethod>;
export type RpcMethodName = keyof typeof RpcMethods;

/**
 * The connectors that park channel orders they cannot read (issue 15), with their list, retry and
 * drop methods; a type without an entry parks none.
 */
export const ParkedOrderMethods = {
  serverspot: { list: 'serverspotParkedOrders', retry: 'serverspotRetryParkedOrder', drop: 'serverspotDropParkedOrder' },
  otto: { list: 'ottoParkedOrders', retry: 'ottoRetryParkedOrder', drop: 'ottoDropParkedOrder' },
} as const satisfies Partial<Record<ConnectionType, { list: RpcMethodName; retry: RpcMethodName; drop: RpcMethodName }>>;
export type ParkingConnectionType = keyof typeof ParkedOrderMethods;

/** A connector's health answer for one type (`ConnectorHealth[type]`): the account's connections it has a record of. */
export const connectorHealthMethod = (type: ConnectionType) =>
  method(ConnectorHealth[type], ConnectionHealthRequestSchema, z.array(ConnectionHealthSchema));
