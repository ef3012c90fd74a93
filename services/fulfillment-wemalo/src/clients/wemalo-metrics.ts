import { Inject, Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { PlatformMetrics } from '@orderhub/platform';

/** wemalo-specific counters on top of ConnectorMetrics; labels stay low-cardinality (no ids). */
@Injectable()
export class WemaloMetrics {
  readonly goodsOrdersSent: Counter<'outcome'>;
  readonly parcelsReported: Counter<'type'>;
  readonly products: Counter<'outcome'>;
  readonly cancellations: Counter<'outcome'>;
  readonly webhooks: Counter<'event' | 'outcome'>;

  constructor(@Inject(PlatformMetrics) metrics: PlatformMetrics) {
    const registers = [metrics.registry];
    this.goodsOrdersSent = new Counter({
      name: 'orderhub_wemalo_goods_orders_sent_total',
      help: 'Hub orders handed to wemalo as goods orders (sent, resent, unchanged, refused, failed)',
      labelNames: ['outcome'],
      registers,
    });
    this.parcelsReported = new Counter({
      name: 'orderhub_wemalo_parcels_reported_total',
      help: 'Parcels reported to the orders service as shipments (shipment or return)',
      labelNames: ['type'],
      registers,
    });
    this.products = new Counter({
      name: 'orderhub_wemalo_products_total',
      help: 'Article transfers to wemalo by outcome (added, updated, unchanged, missing_identifier, conflict, bundle_skipped, failed)',
      labelNames: ['outcome'],
      registers,
    });
    this.cancellations = new Counter({
      name: 'orderhub_wemalo_cancellations_total',
      help: 'Goods order cancellations by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.webhooks = new Counter({
      name: 'orderhub_wemalo_webhooks_received_total',
      help: 'Webhook deliveries received from wemalo',
      labelNames: ['event', 'outcome'],
      registers,
    });
  }
}
