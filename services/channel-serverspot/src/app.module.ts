import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ConnectorKitModule } from '@orderhub/connector-kit';
import { PlatformModule } from '@orderhub/platform';
import { ApiModule } from './api/api.module';
import { SERVERSPOT_CONFIG, type ServerspotConfig } from './config';
import { serverspotConnector } from './connections/serverspot-connection';
import { ImportModule } from './import/import.module';

@Global()
@Module({})
class ServerspotConfigModule {
  static register(config: ServerspotConfig): DynamicModule {
    return { module: ServerspotConfigModule, providers: [{ provide: SERVERSPOT_CONFIG, useValue: config }], exports: [SERVERSPOT_CONFIG] };
  }
}

/** channel-serverspot: Billbee Custom Shop API shops (Serverspot) ↔ the hub (SSP-1..3, CONN-4). */
@Module({})
export class AppModule {
  static register(config: ServerspotConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'channel-serverspot', config }),
        ConnectorKitModule.forRoot(serverspotConnector, config),
        ServerspotConfigModule.register(config),
        ImportModule,
        ApiModule,
      ],
    };
  }
}
