import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import type { Logger } from 'pino';
import {
  type ArticleChanged,
  ArticleChangedEvent,
  type Order,
  type OrderCancelled,
  OrderCancelledEvent,
  OrderStateChangedEvent,
  OrderTagsChangedEvent,
  ProblemError,
  Rpc,
  rpcRequest,
  Subjects,
} from '@orderhub/contracts';
import { type JetStreamContext, type JetStreamHandlerOptions, LOGGER, RpcClient } from '@orderhub/platform';
import { z } from 'zod';
import { ConnectionRegistry, type Delivery, durableName, writeBackHandler } from '@orderhub/connector-kit';
import { WemaloClients } from '../clients/wemalo-clients';
import { ACTOR, sendingConnections, type WemaloConnections } from '../connections/wemalo-connection';
import { CancellationService } from '../orders/cancellation.service';
import { OrderForwardingService } from '../orders/order-forwarding.service';
import { type ProductReport, ProductReportStore } from '../products/product-report';
import { ProductSyncService } from '../products/product-sync.service';
import { isAuthFailure, isTransient } from '../clients/wemalo-errors';
import { WemaloMetrics } from '../clients/wemalo-metrics';
import { SERVICE } from '../service-name';

/** Not in contracts yet: the product report of WEM-3 (missing SKU/EAN, conflicts) for the API/UI. */
export const WEMALO_PRODUCT_REPORT_SUBJECT = 'rpc.wemalo.product-report';
export const ProductReportRequest = rpcRequest(z.object({ connectionId: z.string().optional() }));

/**
 * The goods-order hand-off is a write-back (HUB-3): it waits as long as every connector's write-back
 * does, so an order shown "waiting" is still retried (the sweep also catches up). One at a time:
 * wemalo meters calls per client (`x-wemalo-limit-remainingcall`) and its sweep sends the same orders.
 */
const goodsOrderHandoff = (subject: string, schema: JetStreamHandlerOptions['schema']): JetStreamHandlerOptions => ({
  ...writeBackHandler(durableName(SERVICE, subject), schema as never),
  concurrency: 1,
  ackWaitSeconds: 120,
});

/** A wemalo outage must delay, never lose: retry for a long while before the DLQ (the sweep also catches up). */
const retrying = (schema: JetStreamHandlerOptions['schema']): JetStreamHandlerOptions => ({
  schema,
  maxDeliver: 40,
  backoffMs: [1_000, 2_000, 5_000, 10_000, 20_000, 30_000],
  ackWaitSeconds: 120,
});

@Controller()
export class WemaloEventsController {
  constructor(
    @Inject(ConnectionRegistry) private readonly connections: WemaloConnections,
    @Inject(WemaloClients) private readonly clients: WemaloClients,
    @Inject(OrderForwardingService) private readonly forwarding: OrderForwardingService,
    @Inject(CancellationService) private readonly cancellations: CancellationService,
    @Inject(ProductSyncService) private readonly products: ProductSyncService,
    @Inject(ProductReportStore) private readonly reports: ProductReportStore,
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(WemaloMetrics) private readonly metrics: WemaloMetrics,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  @EventPattern(Subjects.orderTagsChanged, goodsOrderHandoff(Subjects.orderTagsChanged, OrderTagsChangedEvent))
  async onTagsChanged(@Payload() event: { accountId: string; data: { order: Order } }, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.forwardIfDue(event.accountId, event.data.order, ctx);
  }

  @EventPattern(Subjects.orderStateChanged, goodsOrderHandoff(Subjects.orderStateChanged, OrderStateChangedEvent))
  async onStateChanged(@Payload() event: { accountId: string; data: { order: Order } }, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.forwardIfDue(event.accountId, event.data.order, ctx);
  }

  @EventPattern(Subjects.orderCancelled, retrying(OrderCancelledEvent))
  async onCancelled(@Payload() event: OrderCancelled): Promise<void> {
    for (const connection of await sendingConnections(this.connections, event.accountId)) {
      await this.guard('cancel', () => this.cancellations.cancel(connection, event));
    }
  }

  @EventPattern(Subjects.articleChanged, retrying(ArticleChangedEvent))
  async onArticleChanged(@Payload() event: ArticleChanged): Promise<void> {
    for (const connection of await sendingConnections(this.connections, event.accountId)) {
      const client = this.clients.for(connection);
      await this.guard('product', () => this.products.transfer(connection, client, event.data.article, false));
    }
  }

  @MessagePattern(WEMALO_PRODUCT_REPORT_SUBJECT, { schema: ProductReportRequest })
  async productReport(@Payload() req: z.infer<typeof ProductReportRequest>): Promise<ProductReport[]> {
    const mine = await this.connections.ofAccount(req.accountId);
    const wanted = req.body.connectionId ? mine.filter((c) => c.id === req.body.connectionId) : mine;
    if (req.body.connectionId && wanted.length === 0) throw ProblemError.notFound(`wemalo connection ${req.body.connectionId}`);
    return Promise.all(wanted.map((c) => this.reports.report(c.id)));
  }

  /** The event carries a snapshot; the decision is made on the current order (it may have moved on). */
  private async forwardIfDue(accountId: string, snapshot: Order, delivery: Delivery): Promise<void> {
    for (const connection of await sendingConnections(this.connections, accountId)) {
      if (!this.forwarding.wants(connection, snapshot)) continue;
      const current = await this.rpc.call<Order>(Rpc.ordersGet, { accountId, actor: ACTOR, body: { orderId: snapshot.id } });
      await this.guard('goods-order', () => this.forwarding.forward(connection, current, delivery));
    }
  }

  /**
   * Transient failures (wemalo down, limits, orders service busy) and refused credentials go back to
   * JetStream for a retry (the sweep also catches up); refusals of the request itself are logged.
   */
  private async guard(what: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (err) {
      if (isTransient(err) || isAuthFailure(err)) throw err;
      this.log.error({ err: err instanceof Error ? err.message : String(err), what }, 'wemalo handler failed permanently');
      if (what === 'product') this.metrics.products.inc({ outcome: 'failed' });
    }
  }
}
