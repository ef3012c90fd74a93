import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { ProductReportStore } from './product-report';
import { ProductSyncService } from './product-sync.service';

/** WEM-3: hub articles to wemalo products, with the report of what could not be transferred. */
@Module({
  imports: [ClientsModule],
  providers: [ProductReportStore, ProductSyncService],
  exports: [ProductReportStore, ProductSyncService],
})
export class ProductsModule {}
