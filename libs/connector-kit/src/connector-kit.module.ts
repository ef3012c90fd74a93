import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Injectable,
  type InjectionToken,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { KV } from '@nats-io/kv';
import {
  BreakerFactory,
  EventPublisher,
  LOGGER,
  NatsClient,
  PlatformMetrics,
  RpcClient,
  SecretBox,
  SERVICE_NAME,
} from '@orderhub/platform';
import type { Logger } from 'pino';
import { OrdersInbox } from './channel-gateway';
import { ConnectionDirectory } from './connection-directory';
import { ConnectionHealthBook } from './connection-health';
import { type CommonSettings, ConnectionRegistry, type ConnectorDefinition } from './connection-registry';
import type { ConnectorConfig } from './connector-config';
import { ConnectorMetrics } from './connector-metrics';
import { openConnectorBucket } from './kv-store';
import { LeaseKeeper } from './lease-keeper';
import { ParkedOrderDesk } from './parked-order-desk';
import { ParkedOrders } from './parked-orders';
import { PollScheduler, type PollTarget } from './poll-scheduler';
import { StoredOrders } from './stored-orders';
import { SyncNow } from './sync-now';
import { WriteBackPipeline } from './write-back-pipeline';

export const CONNECTOR_KV = Symbol('CONNECTOR_KV');
export const CONNECTOR_CONFIG = Symbol('CONNECTOR_CONFIG');

/** Starts what listens on NATS (change notices, sync-now, health requests) and stops it before NATS drains. */
@Injectable()
class ConnectorRuntimeLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(NatsClient) private readonly nats: NatsClient,
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(ConnectionRegistry) private readonly registry: ConnectionRegistry,
    @Inject(SyncNow) private readonly syncNow: SyncNow,
    @Inject(ConnectionHealthBook) private readonly health: ConnectionHealthBook,
    @Inject(ParkedOrderDesk) private readonly parked: ParkedOrderDesk,
    @Inject(LeaseKeeper) private readonly leases: LeaseKeeper,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.registry.start(this.nats);
    this.health.start(this.nats, this.service);
    this.parked.start(this.nats, this.service);
    await this.syncNow.start();
  }

  beforeApplicationShutdown(): void {
    this.syncNow.stop();
    this.parked.stop();
    this.health.stop();
    this.registry.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.leases.retire();
  }
}

/**
 * The connector runtime every connector service imports once: its typed connection registry, KV
 * state, leases, sync-now, connection health, the write-back pipeline, the orders inbox and the
 * parked orders (list and retry through the API).
 */
@Module({})
export class ConnectorKitModule {
  static forRoot<S extends CommonSettings, K>(definition: ConnectorDefinition<S, K>, config: ConnectorConfig): DynamicModule {
    const replicaId = config.REPLICA_ID ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    return {
      module: ConnectorKitModule,
      global: true,
      providers: [
        { provide: CONNECTOR_CONFIG, useValue: config },
        { provide: SecretBox, useFactory: () => SecretBox.fromEnv(config.SECRETS_KEYS, config.SECRETS_ACTIVE_KEY) },
        {
          provide: ConnectionDirectory,
          inject: [RpcClient, SecretBox],
          useFactory: (rpc: RpcClient, box: SecretBox) => new ConnectionDirectory(rpc, box, definition.type, config),
        },
        {
          provide: ConnectionRegistry,
          inject: [ConnectionDirectory, LOGGER],
          useFactory: (directory: ConnectionDirectory, logger: Logger) =>
            new ConnectionRegistry(directory, definition as unknown as ConnectorDefinition, logger, {
              refreshMs: config.CONNECTION_REFRESH_MS,
              missRefreshMinMs: config.CONNECTION_MISS_REFRESH_MIN_MS,
            }),
        },
        { provide: CONNECTOR_KV, inject: [NatsClient], useFactory: (nats: NatsClient) => openConnectorBucket(nats, definition.type) },
        { provide: LeaseKeeper, inject: [CONNECTOR_KV], useFactory: (kv: KV) => new LeaseKeeper(kv, replicaId, config.LEASE_TTL_MS) },
        { provide: OrdersInbox, inject: [EventPublisher], useFactory: (p: EventPublisher) => new OrdersInbox(p) },
        { provide: ConnectorMetrics, inject: [PlatformMetrics], useFactory: (m: PlatformMetrics) => new ConnectorMetrics(m) },
        {
          provide: ConnectionHealthBook,
          inject: [CONNECTOR_KV, ConnectorMetrics, LOGGER, BreakerFactory],
          useFactory: (kv: KV, metrics: ConnectorMetrics, logger: Logger, breakers: BreakerFactory) =>
            // every channel client names its breaker `http:<type>:<connectionId>` (OutboundHttp)
            new ConnectionHealthBook(definition.type, kv, metrics, logger, (id) => breakers.state(`http:${definition.type}:${id}`)),
        },
        {
          provide: SyncNow,
          inject: [NatsClient, CONNECTOR_KV, ConnectionRegistry, SERVICE_NAME, LOGGER],
          useFactory: (nats: NatsClient, kv: KV, registry: ConnectionRegistry, service: string, logger: Logger) =>
            new SyncNow(nats, kv, registry, service, logger),
        },
        {
          provide: WriteBackPipeline,
          inject: [ConnectionRegistry, OrdersInbox, ConnectorMetrics, ConnectionHealthBook, LOGGER],
          useFactory: (
            registry: ConnectionRegistry,
            inbox: OrdersInbox,
            metrics: ConnectorMetrics,
            health: ConnectionHealthBook,
            logger: Logger,
          ) => new WriteBackPipeline(registry, inbox, metrics, health, logger),
        },
        { provide: ParkedOrders, inject: [CONNECTOR_KV], useFactory: (kv: KV) => new ParkedOrders(kv) },
        {
          provide: StoredOrders,
          inject: [RpcClient],
          useFactory: (rpc: RpcClient) => new StoredOrders(rpc, `connector:${definition.type}`),
        },
        {
          provide: ParkedOrderDesk,
          inject: [ParkedOrders, ConnectionRegistry, OrdersInbox, StoredOrders, ConnectorMetrics, LOGGER],
          useFactory: (
            store: ParkedOrders,
            registry: ConnectionRegistry,
            inbox: OrdersInbox,
            stored: StoredOrders,
            metrics: ConnectorMetrics,
            logger: Logger,
          ) => new ParkedOrderDesk(store, registry, inbox, stored, metrics, logger),
        },
        ConnectorRuntimeLifecycle,
      ],
      exports: [
        CONNECTOR_CONFIG,
        SecretBox,
        ConnectionDirectory,
        ConnectionRegistry,
        CONNECTOR_KV,
        LeaseKeeper,
        OrdersInbox,
        ConnectorMetrics,
        ConnectionHealthBook,
        SyncNow,
        WriteBackPipeline,
        StoredOrders,
        ParkedOrderDesk,
      ],
    };
  }
}

/** Runs the poll scheduler while the app is up; a sync-now request makes the lease holder poll at its next tick. */
@Injectable()
class PollLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(PollScheduler) private readonly scheduler: PollScheduler,
    @Inject(SyncNow) private readonly syncNow: SyncNow,
  ) {}

  onApplicationBootstrap(): void {
    this.syncNow.onRequest((connectionId) => this.scheduler.pollSoon(connectionId));
    this.scheduler.start();
  }

  /** Finishes the poll in hand and hands the leases back, before NATS drains. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
  }
}

/** The providers of a polling feature module: `PollScheduler` for the given `PollTarget` provider. */
export function pollingProviders(target: InjectionToken<PollTarget>): Provider[] {
  return [
    {
      provide: PollScheduler,
      inject: [SERVICE_NAME, ConnectionRegistry, LeaseKeeper, target, ConnectorMetrics, ConnectionHealthBook, LOGGER, CONNECTOR_CONFIG],
      useFactory: (
        service: string,
        registry: ConnectionRegistry,
        leases: LeaseKeeper,
        pollTarget: PollTarget,
        metrics: ConnectorMetrics,
        health: ConnectionHealthBook,
        logger: Logger,
        config: ConnectorConfig,
      ) => new PollScheduler(registry.type, registry, leases, pollTarget, metrics, health, logger, { tickMs: config.POLL_TICK_MS }),
    },
    PollLifecycle,
  ];
}
