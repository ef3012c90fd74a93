import { Module } from '@nestjs/common';
import { WriteBackPipeline } from '@orderhub/connector-kit';
import { ClientsModule } from '../clients/clients.module';
import { OttoApiClient } from '../clients/otto-api-client';
import { OTTO_CONFIG, type OttoConfig } from '../config';
import type { OttoConnection } from '../connections/otto-connection';
import { WriteBackService } from './write-back.service';

@Module({
  imports: [ClientsModule],
  providers: [
    {
      provide: WriteBackService,
      inject: [OttoApiClient, WriteBackPipeline, OTTO_CONFIG],
      useFactory: (api: OttoApiClient, pipeline: WriteBackPipeline<OttoConnection>, config: OttoConfig) =>
        new WriteBackService(api, pipeline, config),
    },
  ],
  exports: [WriteBackService],
})
export class WriteBackModule {}
