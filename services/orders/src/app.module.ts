import { type DynamicModule, Module } from '@nestjs/common';
import { databaseServiceModules } from '@orderhub/platform';
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
        ...databaseServiceModules('orders', config),
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
