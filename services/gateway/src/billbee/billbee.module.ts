import { Module } from '@nestjs/common';
import { loadConfig } from '@orderhub/platform';
import { AuthModule } from '../auth/auth.module';
import { TenantRpc } from '../clients/tenant-rpc.client';
import { BillbeeAuthGuard } from './billbee-auth.guard';
import { BILLBEE_CONFIG, BillbeeConfigSchema } from './billbee-config';
import { BillbeeCredentialsController } from './billbee-credentials.controller';
import { BillbeeHub } from './billbee-hub';
import { BillbeeOrdersController } from './billbee-orders.controller';
import { BillbeeProductsController } from './billbee-products.controller';
import { BillbeeShippingController } from './billbee-shipping.controller';
import { BillbeeWebhooksController } from './billbee-webhooks.controller';

/**
 * The Billbee-compatible face under `/billbee/api/v1`: Billbee's auth, envelope, models and ids over
 * the same application operations as the native API; plus the native routes that issue its credentials.
 */
@Module({
  imports: [AuthModule],
  controllers: [
    BillbeeOrdersController,
    BillbeeProductsController,
    BillbeeShippingController,
    BillbeeWebhooksController,
    BillbeeCredentialsController,
  ],
  providers: [{ provide: BILLBEE_CONFIG, useFactory: () => loadConfig(BillbeeConfigSchema) }, TenantRpc, BillbeeHub, BillbeeAuthGuard],
})
export class BillbeeModule {}
