import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { KV } from '@nats-io/kv';
import type { ConnectionType } from '@orderhub/contracts';
import { EventPublisher, NatsClient, PlatformMetrics, RpcClient, SecretBox } from '@orderhub/platform';
import { ConnectionDirectory } from './connection-directory';
import type { ConnectorConfig } from './connector-config';
import { ConnectorMetrics } from './connector-metrics';
import { OrdersInbox } from './channel-gateway';
import { openConnectorBucket } from './kv-store';
import { LeaseKeeper } from './lease-keeper';

export const CONNECTOR_KV = Symbol('CONNECTOR_KV');

@Injectable()
class LeaseRelease implements OnApplicationShutdown {
  constructor(@Inject(LeaseKeeper) private readonly leases: LeaseKeeper) {}

  async onApplicationShutdown(): Promise<void> {
    await this.leases.retire();
  }
}

/** What every connector service gets: its connections, KV state, leases, and the orders inbox. */
@Module({})
export class ConnectorKitModule {
  static forRoot(type: ConnectionType, config: ConnectorConfig): DynamicModule {
    const replicaId = config.REPLICA_ID ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    return {
      module: ConnectorKitModule,
      global: true,
      providers: [
        { provide: SecretBox, useFactory: () => SecretBox.fromEnv(config.SECRETS_KEYS, config.SECRETS_ACTIVE_KEY) },
        {
          provide: ConnectionDirectory,
          inject: [RpcClient, SecretBox],
          useFactory: (rpc: RpcClient, box: SecretBox) => new ConnectionDirectory(rpc, box, type, config),
        },
        { provide: CONNECTOR_KV, inject: [NatsClient], useFactory: (nats: NatsClient) => openConnectorBucket(nats, type) },
        { provide: LeaseKeeper, inject: [CONNECTOR_KV], useFactory: (kv: KV) => new LeaseKeeper(kv, replicaId, config.LEASE_TTL_MS) },
        { provide: OrdersInbox, inject: [EventPublisher], useFactory: (p: EventPublisher) => new OrdersInbox(p) },
        { provide: ConnectorMetrics, inject: [PlatformMetrics], useFactory: (m: PlatformMetrics) => new ConnectorMetrics(m, type) },
        LeaseRelease,
      ],
      exports: [SecretBox, ConnectionDirectory, CONNECTOR_KV, LeaseKeeper, OrdersInbox, ConnectorMetrics],
    };
  }
}
