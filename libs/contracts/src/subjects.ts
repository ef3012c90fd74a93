import type { ConnectionType } from './connection/capabilities';

/**
 * Every subject that crosses a service boundary. JetStream subjects carry durable facts and commands;
 * `rpc.*` subjects are core NATS request/reply for reads and synchronous writes (the reply is sent only
 * once the orders service has persisted). Deployments and tests may prefix all of them (NATS_PREFIX).
 */
export const Subjects = {
  // facts published by the orders service (stream ORDERS)
  orderImported: 'order.imported',
  orderUpdated: 'order.updated',
  orderStateChanged: 'order.state-changed',
  orderShipped: 'order.shipped',
  orderCancelled: 'order.cancelled',
  orderTagsChanged: 'order.tags-changed',
  orderShipmentAdded: 'order.shipment-added',
  orderChannelActivity: 'order.channel-activity',
  // facts about articles (stream ARTICLES)
  articleChanged: 'article.changed',
  articleStockChanged: 'article.stock-changed',
  // commands from connectors to the orders service (stream CHANNEL): durable hand-in (HUB-1)
  channelOrderImport: 'channel.order.import',
  channelArticleImport: 'channel.article.import',
  channelActivityReport: 'channel.activity.report',
  // from the fulfilment connector (stream FULFILLMENT)
  fulfillmentParcelsShipped: 'fulfillment.parcels-shipped',
  // poison messages (stream DLQ): dlq.<original subject>
  deadLetter: 'dlq',
} as const;
export type Subject = (typeof Subjects)[keyof typeof Subjects];

export interface StreamDefinition {
  name: string;
  subjects: string[];
  /** Seconds JetStream remembers a Nats-Msg-Id to drop duplicates of outbox re-publishes. */
  duplicateWindowSeconds: number;
  maxAgeDays: number;
}

export const Streams: Record<'orders' | 'articles' | 'channel' | 'fulfillment' | 'dlq', StreamDefinition> = {
  orders: { name: 'ORDERS', subjects: ['order.>'], duplicateWindowSeconds: 600, maxAgeDays: 14 },
  articles: { name: 'ARTICLES', subjects: ['article.>'], duplicateWindowSeconds: 600, maxAgeDays: 14 },
  channel: { name: 'CHANNEL', subjects: ['channel.>'], duplicateWindowSeconds: 600, maxAgeDays: 14 },
  fulfillment: { name: 'FULFILLMENT', subjects: ['fulfillment.>'], duplicateWindowSeconds: 600, maxAgeDays: 14 },
  dlq: { name: 'DLQ', subjects: ['dlq.>'], duplicateWindowSeconds: 120, maxAgeDays: 90 },
};

/**
 * Durable consumers another service looks at: a CSV import is complete once the orders service's
 * import consumer has acknowledged (stored) every command of the job.
 */
export const Durables = {
  ordersOrderImport: 'orders_order_import',
} as const;

/** Core NATS request/reply subjects served by the orders service (queue group per service). */
export const Rpc = {
  accountsCreate: 'rpc.accounts.create',
  accountsAuthenticate: 'rpc.accounts.authenticate',
  /** The native API keys of the caller's account: create (secret shown once), list (never a secret), revoke. */
  apiKeysCreate: 'rpc.api-keys.create',
  apiKeysList: 'rpc.api-keys.list',
  apiKeysRevoke: 'rpc.api-keys.revoke',
  connectionsCreate: 'rpc.connections.create',
  connectionsUpdate: 'rpc.connections.update',
  connectionsGet: 'rpc.connections.get',
  connectionsList: 'rpc.connections.list',
  connectionsDelete: 'rpc.connections.delete',
  /** For connectors: active connections of one type with encrypted secrets. */
  connectionsForConnector: 'rpc.connections.for-connector',
  ordersList: 'rpc.orders.list',
  ordersGet: 'rpc.orders.get',
  ordersChangeState: 'rpc.orders.change-state',
  ordersAddShipment: 'rpc.orders.add-shipment',
  ordersChangeTags: 'rpc.orders.change-tags',
  ordersCreateInvoice: 'rpc.orders.create-invoice',
  ordersCancel: 'rpc.orders.cancel',
  ordersEditPositions: 'rpc.orders.edit-positions',
  ordersFindByExternalId: 'rpc.orders.find-by-external-id',
  /** Which of a connection's channel order ids are stored: a connector asks for a page of orders at once. */
  ordersStoredExternalIds: 'rpc.orders.stored-external-ids',
  /** Publishes the order's write-back event again (shipped, cancelled or its state) so the channels get it once more. */
  ordersResendWriteBack: 'rpc.orders.resend-write-back',
  /** The channel's payload as the connector received it (JSON string), for support and reverse-charge checks. */
  ordersRawPayload: 'rpc.orders.raw-payload',
  /** Numbered pages with a total (Billbee's `page`/`pageSize` paging) and list filters on many values. */
  ordersPage: 'rpc.orders.page',
  /** Billbee's numeric order id (`BillBeeOrderId`) → our order id, for the caller's account only. */
  billbeeOrderResolve: 'rpc.billbee.order-resolve',
  /** Billbee API credentials (user + API password + API key) per account; stored hashed. */
  billbeeCredentialsCreate: 'rpc.billbee.credentials.create',
  billbeeCredentialsList: 'rpc.billbee.credentials.list',
  billbeeCredentialsRevoke: 'rpc.billbee.credentials.revoke',
  billbeeAuthenticate: 'rpc.billbee.authenticate',
  articlesList: 'rpc.articles.list',
  articlesGet: 'rpc.articles.get',
  articlesUpsert: 'rpc.articles.upsert',
  articlesSetStock: 'rpc.articles.set-stock',
  /**
   * SSP-1 setup: the gateway asks the Serverspot connector to test URL, shop key and basic auth before
   * saving a connection. Request `{ apiUrl, shopKey, basicAuthUser?, basicAuthPassword? }` (no tenant);
   * reply `{ shippingProfiles: {id,name}[], warnings: string[] }` or a 422 problem naming the bad field.
   */
  serverspotCheckConnection: 'rpc.serverspot.check-connection',
  /** Shop orders the connector could not read, per connection (tenant request). */
  serverspotParkedOrders: 'rpc.serverspot.parked-orders.list',
  /** Reads a parked shop order from the shop again and imports it when it can (tenant request). */
  serverspotRetryParkedOrder: 'rpc.serverspot.parked-orders.retry',
  /** Forgets a parked shop order the merchant handles by hand (tenant request); the order stays unimported. */
  serverspotDropParkedOrder: 'rpc.serverspot.parked-orders.drop',
  /** OTTO orders the connector could not read, per connection (tenant request). */
  ottoParkedOrders: 'rpc.otto.parked-orders.list',
  /** Reads a parked order from OTTO again and imports it when it can (tenant request). */
  ottoRetryParkedOrder: 'rpc.otto.parked-orders.retry',
  /** Forgets a parked OTTO order the merchant handles by hand (tenant request); the order stays unimported. */
  ottoDropParkedOrder: 'rpc.otto.parked-orders.drop',
  /** Served by mail-ingest (JIM): the caller's parked mails, body `{ limit?, cursor? }`. */
  mailParkedList: 'rpc.mail.parked.list',
  /** Served by mail-ingest: put a parked mail back to `received`, body `{ mailId }` (404 if not the caller's). */
  mailReprocess: 'rpc.mail.reprocess',
  /** Served by mail-ingest: take a parked mail off the list for good, body `{ mailId }` (404 if not the caller's or not parked). */
  mailDrop: 'rpc.mail.parked.drop',
  /**
   * Served by the orders service: publish a parked message of the caller again to its subject, body
   * `{ seq }` (404 if not the caller's). Not the gateway: the internet-facing service publishes no commands or facts.
   */
  deadLettersReplay: 'rpc.deadletters.replay',
  /** Served by the orders service: orders created per connection of the caller since `since` (connection health). */
  connectionsOrderCounts: 'rpc.connections.order-counts',
  /** Served by the orders service: users of the caller's account (web sign-in; API keys stay for machines). */
  usersCreate: 'rpc.users.create',
  usersList: 'rpc.users.list',
  usersDelete: 'rpc.users.delete',
  /** Served by the orders service: user name and password → a session (no account in the request). */
  sessionsCreate: 'rpc.sessions.create',
  sessionsAuthenticate: 'rpc.sessions.authenticate',
  sessionsRevoke: 'rpc.sessions.revoke',
  /** Served by the orders service: run the connector's check for a draft connection, nothing saved. */
  connectionsTestDraft: 'rpc.connections.test-draft',
  /** Served by the orders service: run the check for a saved connection with optional unsaved changes. */
  connectionsTest: 'rpc.connections.test',
  /** Served by the webhooks service: subscriptions of the caller's account and their deliveries. */
  webhooksList: 'rpc.webhooks.list',
  webhooksGet: 'rpc.webhooks.get',
  webhooksCreate: 'rpc.webhooks.create',
  webhooksUpdate: 'rpc.webhooks.update',
  webhooksDelete: 'rpc.webhooks.delete',
  webhooksDeleteAll: 'rpc.webhooks.delete-all',
  webhooksDeliveries: 'rpc.webhooks.deliveries',
} as const;
export type RpcSubject = (typeof Rpc)[keyof typeof Rpc];

/**
 * Core NATS notices (no stream, no queue group): every subscribed replica receives them. A receiver
 * must not depend on each one arriving; it also refreshes on its own (slow) schedule.
 */
export const Notices = {
  /** A connection was created, changed or deleted (`ConnectionChangedNoticeSchema`): connectors reload it. */
  connectionChanged: 'connection.changed',
  /** An API key was revoked (`ApiKeyRevokedNoticeSchema`): every gateway replica forgets it at once. */
  apiKeyRevoked: 'api-key.revoked',
  /** mail-ingest parked an order mail it cannot read (`MailParkedNoticeSchema`): the account's browsers refetch. */
  mailParked: 'mail.parked',
  /** An account's webhook subscriptions changed (`WebhooksChangedNoticeSchema`): every webhooks replica reads them again. */
  webhooksChanged: 'webhooks.changed',
} as const;

/**
 * "Sync now" for one connection (WEM-2 on-demand trigger, re-poll): one subject per connector type,
 * answered by that connector's queue group, so no connector has to turn away another's requests.
 * Request `{ accountId, connectionId, type }`, reply `{ ok, data: { accepted, connectionId } }`.
 */
export const ConnectorTriggers: Record<ConnectionType, string> = {
  otto: 'rpc.connector.otto.trigger',
  serverspot: 'rpc.connector.serverspot.trigger',
  jimdo: 'rpc.connector.jimdo.trigger',
  wemalo: 'rpc.connector.wemalo.trigger',
};

/**
 * A connection's health as its connector saw it (`ConnectionHealthRequestSchema` → `ConnectionHealth[]`),
 * answered by any replica of that connector from its shared KV state.
 */
export const ConnectorHealth: Record<ConnectionType, string> = {
  otto: 'rpc.connector.otto.health',
  serverspot: 'rpc.connector.serverspot.health',
  jimdo: 'rpc.connector.jimdo.health',
  wemalo: 'rpc.connector.wemalo.health',
};

/**
 * The check a connector offers before a connection of its type is saved (issue 15), called by the
 * orders service with `{ ...settings, ...secrets }` (the connector reads what it needs). A reply is
 * `{ ok: true, data }` or a 422 problem with the channel's reason. A type without an entry has no check.
 */
export const ConnectorChecks: Partial<Record<ConnectionType, string>> = {
  serverspot: Rpc.serverspotCheckConnection,
};
