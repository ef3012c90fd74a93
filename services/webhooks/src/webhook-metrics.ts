import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { PlatformMetrics } from '@orderhub/platform';

/** Delivery outcomes; labels stay low-cardinality (no subscription or account ids). */
@Injectable()
export class WebhookMetrics {
  readonly deliveries: Counter<'outcome'>;
  readonly attempts: Histogram;
  readonly scheduled: Counter<'action'>;

  constructor(@Inject(PlatformMetrics) metrics: PlatformMetrics) {
    const registers = [metrics.registry];
    this.deliveries = new Counter({
      name: 'orderhub_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome (delivered, retry, postponed, failed, abandoned)',
      labelNames: ['outcome'],
      registers,
    });
    this.attempts = new Histogram({
      name: 'orderhub_webhook_attempts_per_delivery',
      help: 'Attempts a delivery took until the subscriber accepted it',
      buckets: [1, 2, 3, 5, 8, 13, 21, 34],
      registers,
    });
    this.scheduled = new Counter({
      name: 'orderhub_webhook_deliveries_scheduled_total',
      help: 'Deliveries stored for order events, by filter name',
      labelNames: ['action'],
      registers,
    });
  }
}
