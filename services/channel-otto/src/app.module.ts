import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ConnectorKitModule } from '@orderhub/connector-kit';
import { PlatformModule } from '@orderhub/platform';
import { ArticlesModule } from './articles/articles.module';
import { OTTO_CONFIG, type OttoConfig } from './config';
import { ImportModule } from './import/import.module';
import { WriteBackModule } from './write-back/write-back.module';

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
        ConnectorKitModule.forRoot('otto', config),
        OttoConfigModule.register(config),
        ImportModule,
        WriteBackModule,
        ArticlesModule,
      ],
    };
  }
}
