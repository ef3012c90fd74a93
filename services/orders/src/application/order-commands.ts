import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  type ChannelActivityReport,
  type FulfillmentParcelsShipped,
  type Order,
  OrderState,
  ProblemError,
  type RpcRequestOf,
} from '@orderhub/contracts';
import { enrichContext, PoisonMessageError } from '@orderhub/platform';
import { ArticlesService } from '../articles/articles.service';
import { ConnectionsService } from '../connections/connections.service';
import { assertInvoiceAllowed } from '../domain/channel-rules';
import type { Actor, OrderAggregate } from '../domain/order';
import { InvoiceCounterRepository } from '../infrastructure/invoice-counter.repository';
import { OrderWriter } from './order-writer';
import { toOrderView } from './order-view';

const actorOf = (req: { actor: string }, commandId?: string): Actor => ({
  actor: req.actor,
  at: new Date().toISOString(),
  ...(commandId ? { commandId } : {}),
});
const view = (order: OrderAggregate): Order => toOrderView(order.snapshot);

/** Commands on one order. Each answers only after the change (with its outbox) is persisted. */
@Injectable()
export class OrderCommands {
  constructor(
    @Inject(OrderWriter) private readonly writer: OrderWriter,
    @Inject(ConnectionsService) private readonly connections: ConnectionsService,
    @Inject(InvoiceCounterRepository) private readonly invoiceCounter: InvoiceCounterRepository,
    @Inject(ArticlesService) private readonly articles: ArticlesService,
  ) {}

  async changeState(req: RpcRequestOf<'ordersChangeState'>): Promise<Order> {
    const { orderId, state, comment } = req.body;
    return view(await this.writer.change(req.accountId, orderId, (o) => o.changeState(state, actorOf(req), comment)));
  }

  async addShipment(req: RpcRequestOf<'ordersAddShipment'>): Promise<Order> {
    const { orderId, ...shipment } = req.body;
    return view(await this.writer.change(req.accountId, orderId, (o) => void o.addShipment(shipment, actorOf(req), randomUUID())));
  }

  async changeTags(req: RpcRequestOf<'ordersChangeTags'>): Promise<Order> {
    const { orderId, add, remove } = req.body;
    return view(await this.writer.change(req.accountId, orderId, (o) => void o.changeTags(add, remove, actorOf(req))));
  }

  /** OTTO-2 / SSP-2 before a number is drawn; the drawn number survives a version retry (never reused). */
  async createInvoice(req: RpcRequestOf<'ordersCreateInvoice'>): Promise<Order> {
    let invoiceNumber: number | undefined;
    const order = await this.writer.change(req.accountId, req.body.orderId, async (o) => {
      o.assertNotInvoiced();
      assertInvoiceAllowed(o.snapshot.channel, await this.connections.policy(req.accountId, o.snapshot.connectionId));
      invoiceNumber ??= await this.invoiceCounter.next(req.accountId);
      o.assignInvoiceNumber(String(invoiceNumber), actorOf(req));
    });
    return view(order);
  }

  async cancel(req: RpcRequestOf<'ordersCancel'>): Promise<Order> {
    const { orderId, reason, positionExternalIds } = req.body;
    return view(await this.writer.change(req.accountId, orderId, (o) => o.cancel(actorOf(req), reason, positionExternalIds)));
  }

  async editPositions(req: RpcRequestOf<'ordersEditPositions'>): Promise<Order> {
    const { orderId, positions } = req.body;
    await this.articles.assertArticlesExist(
      req.accountId,
      positions.flatMap((p, i) => (p.articleId ? [{ path: `positions[${i}].articleId`, articleId: p.articleId }] : [])),
    );
    return view(await this.writer.change(req.accountId, orderId, (o) => o.editPositions(positions, actorOf(req))));
  }

  /** Publishes the order's write-back fact again; the answer is the order with the resend in its history. */
  async resendWriteBack(req: RpcRequestOf<'ordersResendWriteBack'>): Promise<Order> {
    const order = await this.writer.change(req.accountId, req.body.orderId, (o) => void o.resendWriteBack(actorOf(req)));
    return toOrderView(order.snapshot, order.fullHistory);
  }

  /** A connector's write-back report: history entry, optional tag changes, `order.channel-activity`. */
  async recordChannelActivity(cmd: ChannelActivityReport): Promise<void> {
    const { orderId, connectionId, addTags, removeTags, ...report } = cmd.data;
    enrichContext({ connectionId });
    const policy = await this.connections.policy(cmd.accountId, connectionId);
    await this.onExistingOrder(cmd.accountId, orderId, (o) => {
      if (o.hasHandled(cmd.eventId)) return;
      const by: Actor = { actor: `connector:${policy?.type ?? o.snapshot.channel}`, at: new Date().toISOString(), commandId: cmd.eventId };
      o.recordChannelActivity(report, by);
      // A final order keeps its tags; the report itself stays in the history.
      if (!o.isFinal) o.changeTags(addTags ?? [], removeTags ?? [], by);
    });
  }

  /** WEM-6: parcels become shipments (deduplicated by tracking number) and the order goes to shipped. */
  async parcelsShipped(cmd: FulfillmentParcelsShipped): Promise<void> {
    enrichContext({ connectionId: cmd.data.connectionId });
    const policy = await this.connections.policy(cmd.accountId, cmd.data.connectionId);
    await this.onExistingOrder(cmd.accountId, cmd.data.orderId, (o) => {
      if (o.hasHandled(cmd.eventId)) return;
      const by: Actor = { actor: `connector:${policy?.type ?? 'fulfillment'}`, at: new Date().toISOString(), commandId: cmd.eventId };
      if (o.isFinal) {
        // The warehouse shipped an order that is final meanwhile: the merchant sees it, the order stays as it is.
        const parcels = cmd.data.parcels.map((p) => `${p.carrier} ${p.trackingNumber}`).join(', ');
        o.recordChannelActivity(
          { action: 'parcels-shipped', outcome: 'refused', detail: `parcels of a ${o.stateName} order not added: ${parcels}` },
          by,
        );
        return;
      }
      for (const parcel of cmd.data.parcels) {
        if (o.snapshot.shipments.some((s) => s.trackingNumber === parcel.trackingNumber)) continue;
        o.addShipment(parcel, by, randomUUID());
      }
      if (o.canMoveTo(OrderState.Shipped)) o.changeState(OrderState.Shipped, by);
    });
  }

  /** For JetStream commands: an unknown order can never succeed, so the message is parked. */
  private async onExistingOrder(accountId: string, orderId: string, apply: (o: OrderAggregate) => void): Promise<void> {
    try {
      await this.writer.change(accountId, orderId, apply);
    } catch (err) {
      if (err instanceof ProblemError && err.problem.status === 404) throw new PoisonMessageError(`order ${orderId} not found`);
      throw err;
    }
  }
}
