import { type DynamicModule, Module } from '@nestjs/common';
import { databaseServiceModules } from '@orderhub/platform';
import { MAIL_CONFIG, type MailIngestConfig } from './config';
import { ConnectionsModule } from './connections/connections.module';
import { CsvImportModule } from './csv/csv-import.module';
import { ForwardModule } from './forward/forward.module';
import { MailMetricsModule } from './metrics/mail-metrics.module';
import { ProcessingModule } from './processing/processing.module';
import { SmtpModule } from './smtp/smtp.module';
import { StoreModule } from './store/store.module';

export const SERVICE = 'mail-ingest';

@Module({})
export class AppModule {
  static register(config: MailIngestConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        ...databaseServiceModules(SERVICE, config),
        MailMetricsModule,
        StoreModule,
        ConnectionsModule,
        SmtpModule,
        ProcessingModule,
        ForwardModule,
        CsvImportModule,
      ],
      providers: [{ provide: MAIL_CONFIG, useValue: config }],
      exports: [MAIL_CONFIG],
    };
  }
}
