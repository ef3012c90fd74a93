import { type DynamicModule, Module } from '@nestjs/common';
import { databaseServiceModules } from '@orderhub/platform';
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
      imports: [...databaseServiceModules(SERVICE, config), StoreModule, SubscriptionsModule, DeliveriesModule],
      controllers: [OrderEventsController, WebhooksRpc],
      providers: [{ provide: WEBHOOKS_CONFIG, useValue: config }],
      exports: [WEBHOOKS_CONFIG],
    };
  }
}
