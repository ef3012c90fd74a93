import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { ProductsModule } from '../products/products.module';
import { CancellationService } from './cancellation.service';
import { OrderForwardingService } from './order-forwarding.service';

/** WEM-4/WEM-5: hub orders to wemalo as goods orders, and their cancellations. */
@Module({
  imports: [ClientsModule, ProductsModule],
  providers: [OrderForwardingService, CancellationService],
  exports: [OrderForwardingService, CancellationService],
})
export class OrdersModule {}
