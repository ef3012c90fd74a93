import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { ShipmentSyncService } from './shipment-sync.service';

/** WEM-6: parcels wemalo handed to the carrier become shipments in the hub. */
@Module({ imports: [ClientsModule], providers: [ShipmentSyncService], exports: [ShipmentSyncService] })
export class ShippingModule {}
