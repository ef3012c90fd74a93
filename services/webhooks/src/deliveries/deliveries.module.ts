import { Module } from '@nestjs/common';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { WebhookMetrics } from '../webhook-metrics';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryScheduler } from './delivery-scheduler';
import { DeliveryWorker } from './delivery-worker';

/** The stored delivery schedule: one delivery per event and subscription, sent, retried, recorded. */
@Module({
  imports: [SubscriptionsModule],
  providers: [WebhookMetrics, DeliveryRepository, DeliveryWorker, DeliveryScheduler],
  exports: [DeliveryRepository, DeliveryScheduler],
})
export class DeliveriesModule {}
