import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { OrdersModule } from '../orders/orders.module';
import { ProductsModule } from '../products/products.module';
import { ShippingModule } from '../shipping/shipping.module';
import { WebhookController } from './webhook.controller';
import { WemaloEventsController } from './wemalo-events.controller';

/** Everything that receives: hub events, webhook deliveries, RPCs; the work is in the feature modules. */
@Module({
  imports: [ClientsModule, OrdersModule, ProductsModule, ShippingModule],
  controllers: [WemaloEventsController, WebhookController],
})
export class ApiModule {}
