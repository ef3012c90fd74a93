import { Module } from '@nestjs/common';
import { OrderPages } from '../application/order-pages';
import { BillbeeCredentials } from './billbee-credentials';
import { BillbeeOrderIds } from './billbee-order-ids';
import { BillbeeRpc } from './billbee.rpc';

/** The orders service's part of the Billbee-compatible API: numbered order pages, order numbers, credentials. */
@Module({
  controllers: [BillbeeRpc],
  providers: [OrderPages, BillbeeOrderIds, BillbeeCredentials],
})
export class BillbeeModule {}
