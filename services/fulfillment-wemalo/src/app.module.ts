import { type DynamicModule, Module } from '@nestjs/common';
import { ConnectorKitModule } from '@orderhub/connector-kit';
import { PlatformModule } from '@orderhub/platform';
import { WEMALO_CONFIG, type WemaloConfig } from './config';
import { WemaloConnections } from './connections/wemalo-connections';
import { WebhookController } from './http/webhook.controller';
import { WemaloEventsController } from './http/wemalo-events.controller';
import { CancellationService } from './orders/cancellation.service';
import { OrderForwardingService } from './orders/order-forwarding.service';
import { ProductReportStore } from './products/product-report';
import { ProductSyncService } from './products/product-sync.service';
import { ShipmentSyncService } from './shipping/shipment-sync.service';
import { SweepScheduler } from './sweep/sweep-scheduler';
import { TriggerResponder } from './sweep/trigger-responder';
import { WemaloSweep } from './sweep/wemalo-sweep';
import { ProfilesCache } from './wemalo/profiles-cache';
import { WemaloMetrics } from './wemalo-metrics';

export const SERVICE = 'fulfillment-wemalo';

@Module({})
export class AppModule {
  static register(config: WemaloConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: SERVICE, config }), ConnectorKitModule.forRoot('wemalo', config)],
      controllers: [WemaloEventsController, WebhookController],
      providers: [
        { provide: WEMALO_CONFIG, useValue: config },
        WemaloMetrics,
        WemaloConnections,
        ProfilesCache,
        ProductReportStore,
        ProductSyncService,
        OrderForwardingService,
        CancellationService,
        ShipmentSyncService,
        WemaloSweep,
        SweepScheduler,
        TriggerResponder,
      ],
    };
  }
}
