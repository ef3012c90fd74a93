import { type DynamicModule, Module } from '@nestjs/common';
import { MongoModule, PlatformModule } from '@orderhub/platform';
import { OrderEventsController } from './api/order-events.controller';
import { WebhooksRpc } from './api/webhooks.rpc';
import { WEBHOOKS_CONFIG, type WebhooksConfig } from './config';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { StoreModule } from './store/store.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';

export const SERVICE = 'webhooks';

@Module({})
export class AppModule {
  static register(config: WebhooksConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        PlatformModule.forRoot({ service: SERVICE, config }),
        MongoModule.forRoot(config.MONGO_URL, { maxPoolSize: config.MONGO_MAX_POOL_SIZE, stuckAfterMs: config.MONGO_STUCK_AFTER_MS }),
        StoreModule,
        SubscriptionsModule,
        DeliveriesModule,
      ],
      controllers: [OrderEventsController, WebhooksRpc],
      providers: [{ provide: WEBHOOKS_CONFIG, useValue: config }],
      exports: [WEBHOOKS_CONFIG],
    };
  }
}
