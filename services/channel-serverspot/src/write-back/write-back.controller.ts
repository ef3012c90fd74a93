import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  allowsHubToChannel,
  ArticleStockChangedEvent,
  type ArticleStockChanged,
  OrderCancelledEvent,
  type OrderCancelled,
  OrderShippedEvent,
  type OrderShipped,
  OrderState,
  OrderStateChangedEvent,
  type OrderStateChanged,
  type OrderStateId,
  Subjects,
} from '@orderhub/contracts';
import { ConnectorMetrics, OrdersInbox } from '@orderhub/connector-kit';
import { DEFAULT_MAX_DELIVER, JetStreamContext, type JetStreamHandlerOptions, LOGGER } from '@orderhub/platform';
import type { Logger } from 'pino';
import { ShopApiError } from '../custom-shop/shop-errors';
import { SHOP_STATE_NAMES } from '../import/shop-enums';
import { ProductIndex } from '../import/product-index';
import { type ServerspotConnection, ServerspotConnections } from '../serverspot-connections';
import { trackingUrlFor } from './tracking-url';

const handler = (durable: string, schema: JetStreamHandlerOptions['schema']): JetStreamHandlerOptions => ({
  durable: `channel-serverspot_${durable}`,
  schema,
  maxDeliver: DEFAULT_MAX_DELIVER,
  backoffMs: [1_000, 3_000, 10_000, 30_000],
});

interface OrderRef {
  orderId: string;
  connectionId: string;
  channel: string;
  externalId: string;
}

interface StatePush {
  stateId: OrderStateId;
  comment?: string;
  shippingCarrier?: string;
  trackingCode?: string;
  trackingUrl?: string;
  /** Skip when the shop already shows this state (echo of a state that came from the shop); redeliveries always check. */
  skipIfAlready: boolean;
}

/**
 * Hub→shop (SSP-3, CONN-4): order states through SetOrderState, stock through SetStock. Only for
 * connections whose sync direction allows hub→channel. Every outcome is recorded on the order with
 * OrdersInbox.reportActivity; transient shop errors are rethrown so JetStream redelivers, and the
 * last failed attempt is recorded as failed before the message is parked.
 */
@Controller()
export class WriteBackController {
  constructor(
    @Inject(ServerspotConnections) private readonly connections: ServerspotConnections,
    @Inject(OrdersInbox) private readonly inbox: OrdersInbox,
    @Inject(ProductIndex) private readonly products: ProductIndex,
    @Inject(ConnectorMetrics) private readonly metrics: ConnectorMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @EventPattern(Subjects.orderShipped, handler('order_shipped', OrderShippedEvent))
  async onShipped(@Payload() event: OrderShipped, @Ctx() ctx: JetStreamContext): Promise<void> {
    const parcels = event.data.shipments.filter((s) => s.type === 'shipment');
    const last = parcels[parcels.length - 1];
    const codes = parcels.map((s) => s.trackingNumber).join(', ');
    await this.pushState(event.eventId, event.accountId, event.data, ctx, {
      stateId: OrderState.Shipped,
      shippingCarrier: last?.carrier,
      trackingCode: last?.trackingNumber,
      trackingUrl: last ? trackingUrlFor(last.carrier, last.trackingNumber) : undefined,
      comment: last ? `Versendet mit ${last.carrier}, Sendungsnummer ${codes}` : undefined,
      skipIfAlready: false,
    });
  }

  @EventPattern(Subjects.orderCancelled, handler('order_cancelled', OrderCancelledEvent))
  async onCancelled(@Payload() event: OrderCancelled, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.pushState(event.eventId, event.accountId, event.data, ctx, {
      stateId: OrderState.Cancelled,
      comment: event.data.reason ? `Storniert: ${event.data.reason}` : undefined,
      skipIfAlready: true,
    });
  }

  /** Shipped and cancelled have their own facts (with tracking / reason); every other state goes here. */
  @EventPattern(Subjects.orderStateChanged, handler('order_state_changed', OrderStateChangedEvent))
  async onStateChanged(@Payload() event: OrderStateChanged, @Ctx() ctx: JetStreamContext): Promise<void> {
    if (event.data.state === OrderState.Shipped || event.data.state === OrderState.Cancelled) return;
    await this.pushState(event.eventId, event.accountId, event.data, ctx, { stateId: event.data.state, skipIfAlready: true });
  }

  @EventPattern(Subjects.articleStockChanged, handler('article_stock_changed', ArticleStockChangedEvent))
  async onStockChanged(@Payload() event: ArticleStockChanged): Promise<void> {
    const { sku, ean, totalQuantity } = event.data;
    if (!sku && !ean) return;
    const targets = (await this.connections.ofAccount(event.accountId)).filter(
      (c) => c.settings.active && allowsHubToChannel(c.settings.syncDirection),
    );
    const stock = Math.max(0, totalQuantity);
    let retry: unknown;
    for (const c of targets) {
      const client = this.connections.client(c);
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
        if (err instanceof ShopApiError && !err.transient) {
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

  private async pushState(eventId: string, accountId: string, ref: OrderRef, ctx: JetStreamContext, push: StatePush): Promise<void> {
    if (ref.channel !== 'serverspot') return;
    const connection = await this.connections.byId(ref.connectionId);
    if (!connection || connection.accountId !== accountId) {
      this.logger.warn(
        { connectionId: ref.connectionId, orderId: ref.orderId },
        'order of an unknown or inactive Serverspot connection; no write-back',
      );
      return;
    }
    const stateName = SHOP_STATE_NAMES[push.stateId];
    const action = `serverspot.SetOrderState ${push.stateId} (${stateName})`;
    const report = (outcome: 'ok' | 'refused' | 'failed', detail: string, ruleId: string) =>
      this.report(connection, ref.orderId, `${eventId}:${outcome}`, { action, outcome, detail, ruleId });
    if (!allowsHubToChannel(connection.settings.syncDirection)) {
      await report('refused', `sync direction "${connection.settings.syncDirection}" does not send changes to the shop`, 'CONN-4');
      return;
    }
    const client = this.connections.client(connection);
    try {
      // SetOrderState has no idempotency key: a redelivery (the previous attempt may have reached the
      // shop before a crash or a lost ack) first asks the shop, so a state is never written twice.
      if (push.skipIfAlready || ctx.deliveryCount > 1) {
        const current = await client.getOrder(ref.externalId);
        if (current.order_status_id === push.stateId) {
          await report('ok', `the shop already shows state ${push.stateId} (${stateName})`, 'SSP-3');
          return;
        }
      }
      await client.setOrderState({
        orderId: ref.externalId,
        stateId: push.stateId,
        stateName,
        comment: push.comment,
        shippingCarrier: push.shippingCarrier,
        trackingCode: push.trackingCode,
        trackingUrl: push.trackingUrl,
      });
      this.metrics.writeBacks.inc({ connector: 'serverspot', action: 'SetOrderState', outcome: 'ok' });
      const tracking = push.trackingCode ? ` with tracking code ${push.trackingCode} (${push.shippingCarrier ?? 'carrier unknown'})` : '';
      await report('ok', `shop order ${ref.externalId} set to ${push.stateId} (${stateName})${tracking}`, 'SSP-3');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof ShopApiError && !err.transient) {
        this.metrics.writeBacks.inc({ connector: 'serverspot', action: 'SetOrderState', outcome: 'refused' });
        await report(err.kind === 'unauthorized' ? 'failed' : 'refused', message, 'SSP-3');
        return;
      }
      this.metrics.writeBacks.inc({ connector: 'serverspot', action: 'SetOrderState', outcome: 'failed' });
      if (ctx.deliveryCount >= DEFAULT_MAX_DELIVER) {
        await report('failed', `gave up after ${ctx.deliveryCount} attempts: ${message}`, 'SSP-3');
      }
      throw err;
    }
  }

  private async report(
    connection: ServerspotConnection,
    orderId: string,
    idempotencyKey: string,
    report: { action: string; outcome: 'ok' | 'refused' | 'failed'; detail: string; ruleId: string },
  ): Promise<void> {
    await this.inbox.reportActivity(connection, { orderId, ...report, detail: report.detail.slice(0, 5000) }, idempotencyKey);
  }
}
