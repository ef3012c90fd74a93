import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ConnectorKitModule } from '@orderhub/connector-kit';
import { PlatformModule } from '@orderhub/platform';
import { ApiModule } from './api/api.module';
import { OTTO_CONFIG, type OttoConfig } from './config';
import { ottoConnector } from './connections/otto-connection';

@Global()
@Module({})
class OttoConfigModule {
  static register(config: OttoConfig): DynamicModule {
    return { module: OttoConfigModule, providers: [{ provide: OTTO_CONFIG, useValue: config }], exports: [OTTO_CONFIG] };
  }
}

/** channel-otto: OTTO Market orders and products in, shipments, cancellations and stock out. */
@Module({})
export class AppModule {
  static register(config: OttoConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'channel-otto', config }),
        ConnectorKitModule.forRoot(ottoConnector, config),
        OttoConfigModule.register(config),
        ApiModule,
      ],
    };
  }
}
