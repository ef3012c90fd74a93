import { Module } from '@nestjs/common';
import { pollingProviders } from '@orderhub/connector-kit';
import { ClientsModule } from '../clients/clients.module';
import { OrderImport } from './order-import';
import { ProductIndex } from './product-index';

/** Shop → hub (SSP-3): orders and products polled per connection on one replica, and at once on "sync now". */
@Module({
  imports: [ClientsModule],
  providers: [ProductIndex, OrderImport, ...pollingProviders(OrderImport)],
  exports: [ProductIndex, OrderImport],
})
export class ImportModule {}
