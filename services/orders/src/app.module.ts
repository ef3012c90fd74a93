import { type DynamicModule, Module } from '@nestjs/common';
import { MongoModule, PlatformModule } from '@orderhub/platform';
import { AccountsModule } from './accounts/accounts.module';
import { ArticlesModule } from './articles/articles.module';
import type { OrdersConfig } from './config';
import { ConnectionsModule } from './connections/connections.module';
import { DatabaseModule } from './infrastructure/database.module';
import { BillbeeModule } from './billbee/billbee.module';
import { OrdersModule } from './orders.module';

@Module({})
export class AppModule {
  static register(config: OrdersConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'orders', config }),
        MongoModule.forRoot(config.MONGO_URL, { maxPoolSize: config.MONGO_MAX_POOL_SIZE, stuckAfterMs: config.MONGO_STUCK_AFTER_MS }),
        DatabaseModule.forRoot(config),
        AccountsModule,
        ConnectionsModule,
        ArticlesModule,
        OrdersModule,
        BillbeeModule,
      ],
    };
  }
}
