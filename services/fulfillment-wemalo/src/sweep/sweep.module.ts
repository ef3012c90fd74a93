import { Module } from '@nestjs/common';
import { pollingProviders } from '@orderhub/connector-kit';
import { ClientsModule } from '../clients/clients.module';
import { OrdersModule } from '../orders/orders.module';
import { ProductsModule } from '../products/products.module';
import { ShippingModule } from '../shipping/shipping.module';
import { WemaloSweep } from './wemalo-sweep';

/** WEM-2: each connection swept on its interval on one replica, and at once on "sync now". */
@Module({
  imports: [ClientsModule, OrdersModule, ShippingModule, ProductsModule],
  providers: [WemaloSweep, ...pollingProviders(WemaloSweep)],
})
export class SweepModule {}
