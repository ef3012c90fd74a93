import { Inject, Injectable } from '@nestjs/common';
import {
  allowsHubToChannel,
  type ArticleStockChanged,
  type OrderCancelled,
  type OrderShipped,
  OrderState,
  type OrderStateChanged,
  type OrderStateId,
} from '@orderhub/contracts';
import {
  type ChannelErrors,
  ConnectionRegistry,
  ConnectorMetrics,
  type Delivery,
  type WriteBackEvent,
  WriteBackPipeline,
  type WriteBackResult,
} from '@orderhub/connector-kit';
import { LOGGER } from '@orderhub/platform';
import type { Logger } from 'pino';
import { ShopApiError } from '../clients/shop-errors';
import { ShopClients } from '../clients/shop-clients';
import type { ServerspotConnection, ServerspotConnections } from '../connections/serverspot-connection';
import { SHOP_STATE_NAMES } from '../import/shop-enums';
import { ProductIndex } from '../import/product-index';
import { trackingUrlFor } from './tracking-url';

interface StatePush {
  stateId: OrderStateId;
  comment?: string;
  shippingCarrier?: string;
  trackingCode?: string;
  trackingUrl?: string;
  /** Skip when the shop already shows this state (echo of a state that came from the shop); redeliveries always check. */
  skipIfAlready: boolean;
}

/** How the write-back pipeline treats shop failures: refused credentials (401/403, Key window) wait. */
export const shopErrors: ChannelErrors = {
  classify: (err) => {
    if (err instanceof ShopApiError) return err.kind === 'unauthorized' ? 'auth' : err.transient ? 'transient' : 'permanent';
    return 'transient';
  },
  describe: (err) => (err instanceof Error ? err.message : String(err)).slice(0, 500),
};

/**
 * Hub→shop (SSP-3, CONN-4): order states through SetOrderState, stock through SetStock. Only for
 * connections whose sync direction allows hub→channel. Every outcome is recorded on the order with
 * OrdersInbox.reportActivity; transient shop errors are rethrown so JetStream redelivers, and the
 * last failed attempt is recorded as failed before the message is parked.
 */
@Injectable()
export class WriteBackService {
  constructor(
    @Inject(ConnectionRegistry) private readonly connections: ServerspotConnections,
    @Inject(WriteBackPipeline) private readonly pipeline: WriteBackPipeline<ServerspotConnection>,
    @Inject(ShopClients) private readonly clients: ShopClients,
    @Inject(ProductIndex) private readonly products: ProductIndex,
    @Inject(ConnectorMetrics) private readonly metrics: ConnectorMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async shipped(event: OrderShipped, ctx: Delivery): Promise<void> {
    const parcels = event.data.shipments.filter((s) => s.type === 'shipment');
    const last = parcels[parcels.length - 1];
    const codes = parcels.map((s) => s.trackingNumber).join(', ');
    await this.pushState(event, ctx, {
      stateId: OrderState.Shipped,
      shippingCarrier: last?.carrier,
      trackingCode: last?.trackingNumber,
      trackingUrl: last ? trackingUrlFor(last.carrier, last.trackingNumber) : undefined,
      comment: last ? `Versendet mit ${last.carrier}, Sendungsnummer ${codes}` : undefined,
      skipIfAlready: false,
    });
  }

  async cancelled(event: OrderCancelled, ctx: Delivery): Promise<void> {
    await this.pushState(event, ctx, {
      stateId: OrderState.Cancelled,
      comment: event.data.reason ? `Storniert: ${event.data.reason}` : undefined,
      skipIfAlready: true,
    });
  }

  /** Shipped and cancelled have their own facts (with tracking / reason); every other state goes here. */
  async stateChanged(event: OrderStateChanged, ctx: Delivery): Promise<void> {
    if (event.data.state === OrderState.Shipped || event.data.state === OrderState.Cancelled) return;
    await this.pushState(event, ctx, { stateId: event.data.state, skipIfAlready: true });
  }

  async stockChanged(event: ArticleStockChanged): Promise<void> {
    const { sku, ean, totalQuantity } = event.data;
    if (!sku && !ean) return;
    const targets = (await this.connections.ofAccount(event.accountId)).filter(
      (c) => c.settings.active && allowsHubToChannel(c.settings.syncDirection),
    );
    const stock = Math.max(0, totalQuantity);
    let retry: unknown;
    for (const c of targets) {
      const client = this.clients.for(c);
      try {
        const productId = await this.products.productIdFor(c.id, client, { sku, ean });
        if (!productId) {
          this.logger.debug({ connectionId: c.id, sku, ean }, 'article not sold in this shop; no SetStock');
          continue;
        }
        await client.setStock(productId, stock);
        this.metrics.writeBacks.inc({ connector: 'serverspot', action: 'SetStock', outcome: 'ok' });
      } catch (err) {
        this.metrics.writeBacks.inc({ connector: 'serverspot', action: 'SetStock', outcome: 'failed' });
        if (err instanceof ShopApiError && !err.transient && err.kind !== 'unauthorized') {
          this.logger.warn({ connectionId: c.id, sku, err: err.message }, 'SetStock refused by the shop');
          continue;
        }
        this.logger.warn({ connectionId: c.id, sku, err: err instanceof Error ? err.message : String(err) }, 'SetStock failed; will retry');
        retry = err;
      }
    }
    // SetStock sets an absolute value: repeating it for shops that already took it is harmless.
    if (retry) throw retry;
  }

  private async pushState(
    event: WriteBackEvent & { data: { externalId: string; resend?: boolean } },
    ctx: Delivery,
    push: StatePush,
  ): Promise<void> {
    const stateName = SHOP_STATE_NAMES[push.stateId];
    const action = `serverspot.SetOrderState ${push.stateId} (${stateName})`;
    const externalId = event.data.externalId;
    await this.pipeline.run(event, ctx, action, shopErrors, async (connection): Promise<WriteBackResult> => {
      const client = this.clients.for(connection);
      try {
        // SetOrderState has no idempotency key: a redelivery or a resend (the previous attempt may have
        // reached the shop) first asks the shop, so a state is never written twice.
        if (push.skipIfAlready || ctx.deliveryCount > 1 || event.data.resend) {
          const current = await client.getOrder(externalId);
          if (current.order_status_id === push.stateId) {
            return { outcome: 'ok', detail: `the shop already shows state ${push.stateId} (${stateName})`, ruleId: 'SSP-3' };
          }
        }
        await client.setOrderState({
          orderId: externalId,
          stateId: push.stateId,
          stateName,
          comment: push.comment,
          shippingCarrier: push.shippingCarrier,
          trackingCode: push.trackingCode,
          trackingUrl: push.trackingUrl,
        });
      } catch (err) {
        // The shop refused this request (unknown order, bad state): recorded as a refusal, not retried.
        if (shopErrors.classify(err) === 'permanent') return { outcome: 'refused', detail: shopErrors.describe(err), ruleId: 'SSP-3' };
        throw err;
      }
      const tracking = push.trackingCode ? ` with tracking code ${push.trackingCode} (${push.shippingCarrier ?? 'carrier unknown'})` : '';
      return { outcome: 'ok', detail: `shop order ${externalId} set to ${push.stateId} (${stateName})${tracking}`, ruleId: 'SSP-3' };
    });
  }
}
