import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  type FactoryProvider,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { hostname } from 'node:os';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { EventPublisher, LOGGER, MONGO_CONNECTION, NatsClient, PlatformMetrics, SecretBox, UnpublishableEvents } from '@orderhub/platform';
import { AccountRepository } from '../accounts/account.repository';
import { UserRepository } from '../accounts/user.repository';
import { ArticleRepository } from '../articles/article.repository';
import { ORDERS_CONFIG, type OrdersConfig } from '../config';
import { ConnectionRepository } from '../connections/connection.repository';
import { OrdersDatabase } from './database';
import { InvoiceCounterRepository } from './invoice-counter.repository';
import { OrderRepository } from './order.repository';
import { OrderListRepair } from './order-list-repair';
import { OrdersMetrics } from './orders-metrics';
import { ArticleOutboxRelay, OrderOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from './outbox-relay';
import { OrderPayloads } from './order-payloads';
import type { OutboxCollection } from './outbox';

/** Writers and the relay of this process share it, so the relay publishes its own writes at once. */
const RELAY_OWNER = `${hostname()}:${process.pid}`;

/** A relay for one collection: the writers' guard name is the collection's, so both claim the same revisions. */
function relayProvider(
  relay: typeof OrderOutboxRelay,
  collection: 'orders' | 'articles',
  options: OutboxRelayOptions,
): FactoryProvider<OutboxRelay> {
  return {
    provide: relay,
    inject: [OrdersDatabase, EventPublisher, NatsClient, PlatformMetrics, OrdersMetrics, LOGGER],
    useFactory: (
      db: OrdersDatabase,
      publisher: EventPublisher,
      nats: NatsClient,
      platformMetrics: PlatformMetrics,
      metrics: OrdersMetrics,
      log: Logger,
    ) => {
      const target = db[collection] as unknown as OutboxCollection;
      return new relay(
        target,
        publisher,
        new UnpublishableEvents(nats, platformMetrics),
        db.revisionGuard(collection),
        db.outboxMarkers(options.owner),
        metrics,
        log,
        options,
      );
    },
  };
}

@Injectable()
class OutboxRelays implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(OrderOutboxRelay) private readonly orders: OrderOutboxRelay,
    @Inject(ArticleOutboxRelay) private readonly articles: ArticleOutboxRelay,
  ) {}

  onApplicationBootstrap(): void {
    this.orders.start();
    this.articles.start();
  }

  /** Before NATS drains: finish the publish in hand, so nothing is published after the connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.orders.stop(), this.articles.stop()]);
  }
}

/** The orders database: collections with their indexes, tenant repositories and the outbox relays. */
@Module({})
export class DatabaseModule {
  static forRoot(config: OrdersConfig): DynamicModule {
    const relayOptions = (aggregate: string): OutboxRelayOptions => ({
      aggregate,
      owner: RELAY_OWNER,
      pollMs: config.OUTBOX_POLL_MS,
      takeoverMs: config.OUTBOX_LEASE_MS,
      sweepMs: config.OUTBOX_SWEEP_MS,
    });
    return {
      module: DatabaseModule,
      global: true,
      providers: [
        { provide: ORDERS_CONFIG, useValue: config },
        {
          provide: OrdersDatabase,
          inject: [MONGO_CONNECTION],
          useFactory: async (connection: Connection) => {
            if (!connection.db) throw new Error('MongoDB connection has no database');
            const db = new OrdersDatabase(connection.db, config.MONGO_CODE_PATH);
            await db.ensureIndexes();
            return db;
          },
        },
        { provide: SecretBox, useFactory: () => SecretBox.fromEnv(config.SECRETS_KEYS, config.SECRETS_ACTIVE_KEY) },
        { provide: OrdersMetrics, inject: [PlatformMetrics], useFactory: (m: PlatformMetrics) => new OrdersMetrics(m.registry) },
        {
          provide: OrderRepository,
          inject: [OrdersDatabase],
          useFactory: (db: OrdersDatabase) =>
            new OrderRepository(
              db.orders,
              db.revisionGuard('orders'),
              db.outboxMarkers(RELAY_OWNER),
              db.revisionCheck,
              db.orderLists(),
              new OrderPayloads(db.orderPayloads),
            ),
        },
        {
          provide: ArticleRepository,
          inject: [OrdersDatabase],
          useFactory: (db: OrdersDatabase) =>
            new ArticleRepository(db.articles, db.revisionGuard('articles'), db.outboxMarkers(RELAY_OWNER), db.skuIndex),
        },
        {
          provide: ConnectionRepository,
          inject: [OrdersDatabase],
          useFactory: (db: OrdersDatabase) => new ConnectionRepository(db.connections),
        },
        {
          provide: AccountRepository,
          inject: [OrdersDatabase],
          useFactory: (db: OrdersDatabase) => new AccountRepository(db.accounts, db.apiKeys),
        },
        {
          provide: UserRepository,
          inject: [OrdersDatabase, ORDERS_CONFIG],
          useFactory: (db: OrdersDatabase, config: OrdersConfig) => new UserRepository(db.users, db.sessions, config.SESSION_TTL_MS),
        },
        {
          provide: InvoiceCounterRepository,
          inject: [OrdersDatabase],
          useFactory: (db: OrdersDatabase) => new InvoiceCounterRepository(db.counters, db.invoiceNumbers, db.revisionCheck),
        },
        relayProvider(OrderOutboxRelay, 'orders', relayOptions('order')),
        relayProvider(ArticleOutboxRelay, 'articles', relayOptions('article')),
        OutboxRelays,
        OrderListRepair,
      ],
      exports: [
        ORDERS_CONFIG,
        OrdersDatabase,
        SecretBox,
        OrdersMetrics,
        OrderRepository,
        ArticleRepository,
        ConnectionRepository,
        AccountRepository,
        UserRepository,
        InvoiceCounterRepository,
        OrderOutboxRelay,
        ArticleOutboxRelay,
      ],
    };
  }
}
