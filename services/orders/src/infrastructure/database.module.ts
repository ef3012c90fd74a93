import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { EventPublisher, LOGGER, MONGO_CONNECTION, PlatformMetrics, SecretBox } from '@orderhub/platform';
import { AccountRepository } from '../accounts/account.repository';
import { ArticleRepository } from '../articles/article.repository';
import { ORDERS_CONFIG, type OrdersConfig } from '../config';
import { ConnectionRepository } from '../connections/connection.repository';
import { OrdersDatabase } from './database';
import { InvoiceCounterRepository } from './invoice-counter.repository';
import { OrderRepository } from './order.repository';
import { OrdersMetrics } from './orders-metrics';
import { ArticleOutboxRelay, OrderOutboxRelay } from './outbox-relay';
import { OutboxMarkers } from './outbox-markers';
import type { OutboxCollection } from './outbox';
import { LeaseTable, RevisionGuard } from './revision-guard';

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
    const relayOptions = (aggregate: string) => ({ aggregate, pollMs: config.OUTBOX_POLL_MS, leaseMs: config.OUTBOX_LEASE_MS });
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
            const db = new OrdersDatabase(connection.db);
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
            new OrderRepository(db.orders, new RevisionGuard(db.writeClaims, 'orders'), new OutboxMarkers(db.outboxMarkers, 'order')),
        },
        {
          provide: ArticleRepository,
          inject: [OrdersDatabase],
          useFactory: (db: OrdersDatabase) =>
            new ArticleRepository(
              db.articles,
              new RevisionGuard(db.writeClaims, 'articles'),
              new OutboxMarkers(db.outboxMarkers, 'article'),
              db.skuIndex,
            ),
        },
        {
          provide: ConnectionRepository,
          inject: [OrdersDatabase],
          useFactory: (db: OrdersDatabase) => new ConnectionRepository(db.connections),
        },
        { provide: AccountRepository, inject: [OrdersDatabase], useFactory: (db: OrdersDatabase) => new AccountRepository(db.accounts) },
        {
          provide: InvoiceCounterRepository,
          inject: [OrdersDatabase],
          useFactory: (db: OrdersDatabase) => new InvoiceCounterRepository(db.counters, db.invoiceNumbers),
        },
        {
          provide: OrderOutboxRelay,
          inject: [OrdersDatabase, EventPublisher, OrdersMetrics, LOGGER],
          useFactory: (db: OrdersDatabase, p: EventPublisher, m: OrdersMetrics, log: Logger) =>
            new OrderOutboxRelay(
              db.orders as unknown as OutboxCollection,
              p,
              new RevisionGuard(db.writeClaims, 'orders'),
              new LeaseTable(db.outboxLeases),
              new OutboxMarkers(db.outboxMarkers, 'order'),
              m,
              log,
              relayOptions('order'),
            ),
        },
        {
          provide: ArticleOutboxRelay,
          inject: [OrdersDatabase, EventPublisher, OrdersMetrics, LOGGER],
          useFactory: (db: OrdersDatabase, p: EventPublisher, m: OrdersMetrics, log: Logger) =>
            new ArticleOutboxRelay(
              db.articles as unknown as OutboxCollection,
              p,
              new RevisionGuard(db.writeClaims, 'articles'),
              new LeaseTable(db.outboxLeases),
              new OutboxMarkers(db.outboxMarkers, 'article'),
              m,
              log,
              relayOptions('article'),
            ),
        },
        OutboxRelays,
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
        InvoiceCounterRepository,
        OrderOutboxRelay,
        ArticleOutboxRelay,
      ],
    };
  }
}
