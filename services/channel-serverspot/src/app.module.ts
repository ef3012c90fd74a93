import { type DynamicModule, Module } from '@nestjs/common';
import { ConnectorKitModule } from '@orderhub/connector-kit';
import { PlatformModule } from '@orderhub/platform';
import { ConnectionCheck } from './check/connection-check';
import { ConnectionCheckController } from './check/connection-check.controller';
import { SERVERSPOT_CONFIG, type ServerspotConfig } from './config';
import { ImportScheduler } from './import/import-scheduler';
import { OrderImport } from './import/order-import';
import { ProductIndex } from './import/product-index';
import { ServerspotConnections } from './serverspot-connections';
import { WriteBackController } from './write-back/write-back.controller';

/** channel-serverspot: Billbee Custom Shop API shops (Serverspot) ↔ the hub (SSP-1..3, CONN-4). */
@Module({})
export class AppModule {
  static register(config: ServerspotConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'channel-serverspot', config }), ConnectorKitModule.forRoot('serverspot', config)],
      controllers: [ConnectionCheckController, WriteBackController],
      providers: [
        { provide: SERVERSPOT_CONFIG, useValue: config },
        ServerspotConnections,
        ProductIndex,
        OrderImport,
        ImportScheduler,
        ConnectionCheck,
      ],
    };
  }
}
