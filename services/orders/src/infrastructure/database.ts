import type { mongo } from 'mongoose';
import { ListHeads, ListMirror, RevisionGuard, type RevisionCheck, revisionCheckFor, WorkMarkers } from '@orderhub/platform';
import type { AccountDoc, ApiKeyDoc } from '../accounts/account.repository';
import type { SessionDoc, UserDoc } from '../accounts/user.repository';
import type { ArticleDoc, SkuIndexDoc } from '../articles/article.repository';
import type { ConnectionDoc } from '../connections/connection.repository';
import { ORDER_LIST_FIELDS, type OrderDoc } from './order.repository';
import type { InvoiceCounterDoc, InvoiceNumberDoc } from './invoice-counter.repository';
import type { OrderPayloadDoc } from './order-payloads';
import type { OutboxMarkers } from './outbox';

/** Native collections of the orders database (mongoose's connection, driver-level control over updates). */
export class OrdersDatabase {
  /** Asked once; the first guarded write waits for it. */
  readonly revisionCheck: Promise<RevisionCheck>;

  constructor(
    readonly db: mongo.Db,
    codePath: 'auto' | 'mongodb' = 'auto',
  ) {
    this.revisionCheck = revisionCheckFor(db, codePath);
  }

  /** The optimistic-concurrency guard for one collection's writes. */
  revisionGuard(collection: string): RevisionGuard {
    return new RevisionGuard(this.writeClaims, collection, this.revisionCheck);
  }

  get orders() {
    return this.db.collection<OrderDoc>('orders');
  }
  /** Where order lists run: the collection's indexes on MongoDB, slim copies on FerretDB (an account's newest page from its head). */
  orderLists(): ListMirror<OrderDoc> {
    const heads = new ListHeads({
      partition: 'accountId',
      sortKey: 'orderedAt',
      heads: this.db.collection('orders_list_heads'),
      guard: this.revisionGuard('orders_list_heads'),
    });
    return new ListMirror(this.orders, this.db.collection('orders_list'), ORDER_LIST_FIELDS, this.revisionCheck, heads);
  }
  get articles() {
    return this.db.collection<ArticleDoc>('articles');
  }
  get connections() {
    return this.db.collection<ConnectionDoc>('connections');
  }
  get accounts() {
    return this.db.collection<AccountDoc>('accounts');
  }
  get apiKeys() {
    return this.db.collection<ApiKeyDoc>('api_keys');
  }
  get users() {
    return this.db.collection<UserDoc>('users');
  }
  get sessions() {
    return this.db.collection<SessionDoc>('sessions');
  }
  get invoiceNumbers() {
    return this.db.collection<InvoiceNumberDoc>('invoice_numbers');
  }
  get writeClaims() {
    return this.db.collection<{ _id: string; at: Date }>('write_claims');
  }
  get skuIndex() {
    return this.db.collection<SkuIndexDoc>('article_skus');
  }
  get orderPayloads() {
    return this.db.collection<OrderPayloadDoc>('order_payloads');
  }
  /** Markers of documents with pending events (FerretDB), written by `owner`'s writers. */
  outboxMarkers(owner: string): OutboxMarkers {
    return new WorkMarkers(this.db.collection('outbox_markers'), { work: 'aggregate', doc: 'docId' }, this.revisionCheck, { owner });
  }
  get counters() {
    return this.db.collection<InvoiceCounterDoc>('invoice_counters');
  }

  /**
   * Indexes are created explicitly at start (autoIndex is off) and only of kinds FerretDB v1 has:
   * plain and unique, no TTL, partial or text indexes. The unique import key makes HUB-2 hold
   * across replicas.
   */
  async ensureIndexes(): Promise<void> {
    await this.orders.createIndex({ accountId: 1, connectionId: 1, externalId: 1 }, { unique: true, name: 'import_key' });
    await this.orders.createIndex({ accountId: 1, orderedAt: -1, _id: -1 }, { name: 'list_by_ordered_at' });
    if ((await this.revisionCheck) === 'conditional') {
      // The relay's poll on MongoDB (OutboxRelay.pending); FerretDB would not use it and keeps markers.
      await this.orders.createIndex({ outboxDirty: 1 }, { name: 'outbox_pending' });
      await this.articles.createIndex({ outboxDirty: 1 }, { name: 'outbox_pending' });
    }
    await this.articles.createIndex({ accountId: 1, skuKey: 1 }, { unique: true, name: 'sku_per_account' });
    await this.articles.createIndex({ accountId: 1, externalId: 1 }, { name: 'external_id' });
    await this.connections.createIndex({ accountId: 1, type: 1 }, { name: 'account_type' });
    await this.connections.createIndex({ type: 1 }, { name: 'type' });
    await this.accounts.createIndex({ apiKeyHash: 1 }, { unique: true, name: 'api_key_hash' });
    await this.apiKeys.createIndex({ hash: 1 }, { unique: true, name: 'hash' });
    await this.apiKeys.createIndex({ accountId: 1 }, { name: 'account' });
    await this.users.createIndex({ username: 1 }, { unique: true, name: 'username' });
    await this.users.createIndex({ accountId: 1 }, { name: 'account' });
    await this.sessions.createIndex({ tokenHash: 1 }, { unique: true, name: 'token_hash' });
    await this.counters.createIndex({ accountId: 1, kind: 1 }, { unique: true, name: 'counter_per_account' });
  }
}
