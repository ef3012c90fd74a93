import { Module } from '@nestjs/common';
import { DeadLettersRpc } from './api/dead-letters.rpc';
import { OrdersEvents } from './api/orders.events';
import { OrdersRpc } from './api/orders.rpc';
import { ImportChannelOrder } from './application/import-channel-order';
import { OrderCommands } from './application/order-commands';
import { OrderQueries } from './application/order-queries';
import { OrderWriter } from './application/order-writer';
import { ArticlesModule } from './articles/articles.module';
import { ConnectionsModule } from './connections/connections.module';

@Module({
  imports: [ConnectionsModule, ArticlesModule],
  controllers: [OrdersRpc, OrdersEvents, DeadLettersRpc],
  providers: [OrderWriter, ImportChannelOrder, OrderCommands, OrderQueries],
})
export class OrdersModule {}
