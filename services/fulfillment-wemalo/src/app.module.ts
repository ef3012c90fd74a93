import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ConnectorKitModule } from '@orderhub/connector-kit';
import { PlatformModule } from '@orderhub/platform';
import { ApiModule } from './api/api.module';
import { WEMALO_CONFIG, type WemaloConfig } from './config';
import { wemaloConnector } from './connections/wemalo-connection';
import { SERVICE } from './service-name';
import { SweepModule } from './sweep/sweep.module';

export { SERVICE };

@Global()
@Module({})
class WemaloConfigModule {
  static register(config: WemaloConfig): DynamicModule {
    return { module: WemaloConfigModule, providers: [{ provide: WEMALO_CONFIG, useValue: config }], exports: [WEMALO_CONFIG] };
  }
}

/** fulfillment-wemalo: hub orders to the wemalo warehouse, parcels back (WEM-1..6). */
@Module({})
export class AppModule {
  static register(config: WemaloConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: SERVICE, config }),
        ConnectorKitModule.forRoot(wemaloConnector, config),
        WemaloConfigModule.register(config),
        SweepModule,
        ApiModule,
      ],
    };
  }
}
