import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { PollTarget } from '@orderhub/connector-kit';
import { LOGGER } from '@orderhub/platform';
import { WEMALO_CONFIG, type WemaloConfig } from '../config';
import { WemaloClients } from '../clients/wemalo-clients';
import type { WemaloConnection } from '../connections/wemalo-connection';
import { WebhookTokens } from '../webhooks/webhook-tokens';
import { OrderForwardingService } from '../orders/order-forwarding.service';
import { ProductSyncService } from '../products/product-sync.service';
import { ShipmentSyncService } from '../shipping/shipment-sync.service';

const WEBHOOK_EVENTS = ['status_update', 'trackingnumber_added'] as const;

/**
 * One sweep of one connection on the sync interval (WEM-2): webhooks registered, orders due for
 * wemalo sent, sent packages collected (the safety net behind the webhooks), products transferred.
 * Every step is idempotent, so a sweep cut short by a crash is simply run again.
 */
@Injectable()
export class WemaloSweep implements PollTarget<WemaloConnection> {
  constructor(
    @Inject(WemaloClients) private readonly clients: WemaloClients,
    @Inject(WebhookTokens) private readonly webhooks: WebhookTokens,
    @Inject(OrderForwardingService) private readonly orders: OrderForwardingService,
    @Inject(ShipmentSyncService) private readonly shipments: ShipmentSyncService,
    @Inject(ProductSyncService) private readonly products: ProductSyncService,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(WEMALO_CONFIG) private readonly config: WemaloConfig,
  ) {}

  intervalSeconds(connection: WemaloConnection): number {
    return this.config.WEMALO_SWEEP_SECONDS_OVERRIDE || connection.settings.syncIntervalMinutes * 60;
  }

  wants(connection: WemaloConnection): boolean {
    return connection.settings.syncDirection !== 'none';
  }

  async poll(connection: WemaloConnection): Promise<void> {
    const started = Date.now();
    await this.registerWebhooks(connection);
    const orders = await this.orders.sweep(connection);
    const parcels = await this.shipments.syncSent(connection);
    const products = await this.products.sweep(connection);
    this.log.info({ connectionId: connection.id, orders, parcels, products, ms: Date.now() - started }, 'wemalo sweep done');
  }

  /** Registers (or re-registers, e.g. after wemalo dropped them following 10 failures) the push hooks. */
  private async registerWebhooks(connection: WemaloConnection): Promise<void> {
    if (!this.webhooks.url(connection.id, 'any')) return;
    const token = this.webhooks.token(connection.id);
    const client = this.clients.for(connection);
    try {
      const hooks = await client.webhooks();
      for (const event of WEBHOOK_EVENTS) {
        const url = this.webhooks.url(connection.id, event) as string;
        if (hooks.some((h) => h.event === event && h.payload === url && h.token === token)) continue;
        await client.registerWebhook(event, url, token);
      }
    } catch (err) {
      // Polling still covers everything; a missing hook only costs latency.
      this.log.warn(
        { err: err instanceof Error ? err.message : String(err), connectionId: connection.id },
        'wemalo webhooks not registered',
      );
    }
  }
}
