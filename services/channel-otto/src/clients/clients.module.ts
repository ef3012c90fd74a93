import { Module } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import type { Logger } from 'pino';
import { CONNECTOR_KV, SharedCache } from '@orderhub/connector-kit';
import { LOGGER, OutboundHttp, SecretBox } from '@orderhub/platform';
import { OTTO_CONFIG, type OttoConfig } from '../config';
import { OttoApiClient } from './otto-api-client';

@Module({
  providers: [
    {
      provide: OttoApiClient,
      inject: [OutboundHttp, CONNECTOR_KV, SecretBox, LOGGER, OTTO_CONFIG],
      useFactory: (http: OutboundHttp, kv: KV, box: SecretBox, logger: Logger, config: OttoConfig) =>
        new OttoApiClient(http, new SharedCache(kv, 'token', box), logger, { maxRateLimitWaits: config.OTTO_MAX_RATE_LIMIT_WAITS }),
    },
  ],
  exports: [OttoApiClient],
})
export class ClientsModule {}
