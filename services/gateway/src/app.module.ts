import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { PlatformModule } from '@orderhub/platform';
import { ApiKeysController } from './api/api-keys.controller';
import { ArticlesController } from './api/articles.controller';
import { ConnectionsController } from './api/connections.controller';
import { DeadLettersController } from './api/dead-letters.controller';
import { EventsController } from './api/events.controller';
import { ImportsController } from './api/imports.controller';
import { MailsController } from './api/mails.controller';
import { OrdersController } from './api/orders.controller';
import { ParkedOrdersController } from './api/parked-orders.controller';
import { AuthModule } from './auth/auth.module';
import { BillbeeModule } from './billbee/billbee.module';
import { ConnectionHealthController } from './api/connection-health.controller';
import { SessionsController } from './api/sessions.controller';
import { UsersController } from './api/users.controller';
import { ConnectionHealthReader } from './clients/connection-health.client';
import { ConnectorTrigger } from './clients/connector-trigger.client';
import { MailIngestClient } from './clients/mail-ingest.client';
import { TenantRpc } from './clients/tenant-rpc.client';
import { AccountDeadLetters } from './dead-letters/account-dead-letters';
import { LiveFeed } from './live/live-feed';
import type { GatewayConfig } from './config';
import { BodyTypeInterceptor } from './http/body-types';
import { ContractValidationPipe } from './http/contract-validation.pipe';
import { IdempotencyInterceptor } from './http/idempotency';
import { ProblemExceptionFilter } from './http/problem.filter';
import { RouteTable } from './http/route-table';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class AppModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'gateway', config, metricsPort: config.METRICS_PORT }),
        AuthModule,
        BillbeeModule,
        WebhooksModule,
      ],
      controllers: [
        OrdersController,
        ArticlesController,
        ConnectionsController,
        ParkedOrdersController,
        ConnectionHealthController,
        UsersController,
        SessionsController,
        ImportsController,
        MailsController,
        EventsController,
        DeadLettersController,
        ApiKeysController,
      ],
      providers: [
        TenantRpc,
        LiveFeed,
        AccountDeadLetters,
        ConnectorTrigger,
        ConnectionHealthReader,
        MailIngestClient,
        RouteTable,
        { provide: APP_PIPE, useValue: new ContractValidationPipe() },
        { provide: APP_INTERCEPTOR, useClass: BodyTypeInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: ProblemExceptionFilter },
      ],
    };
  }
}
