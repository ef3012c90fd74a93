import type { Msg, Subscription } from '@nats-io/nats-core';
import {
  type ChannelOrder,
  type ParkedChannelOrder,
  type ParkedOrderRetryResult,
  ParkedOrderMethods,
  ProblemError,
  ProblemTypes,
  RpcMethods,
} from '@orderhub/contracts';
import { errorReply, type NatsClient, okReply } from '@orderhub/platform';
import type { Logger } from 'pino';
import type { OrdersInbox } from './channel-gateway';
import type { Connection, ConnectionRegistry } from './connection-registry';
import type { ConnectorMetrics } from './connector-metrics';
import { type ParkedOrders, UnreadableOrderError } from './parked-orders';
import type { StoredOrders } from './stored-orders';

/** A channel order as read (again) from the channel: its ids, and the connector's mapping of it. */
export interface ChannelOrderRead {
  externalId: string;
  orderNumber?: string;
  /** The hub's view of it; throws `UnreadableOrderError` with the reason when the order cannot be read. */
  map(): ChannelOrder;
}

/** A connector's way to read one order from its channel again (by the channel's id). */
export type ReadAgain<C> = (connection: C, externalId: string) => Promise<ChannelOrderRead>;

export interface RetryOptions<C> {
  /** How long a retry waits for the orders service to store the order before answering 503. */
  storeWaitMs: number;
  /** What the channel needs once the order is stored (e.g. Serverspot's AckOrder); a failure is only logged. */
  onStored?: (connection: C, externalId: string) => Promise<void>;
}

/**
 * Channel orders a connector cannot read (issue 15): an import parks them with the reason instead of
 * skipping them, and the tenant RPCs of `ParkedOrderMethods[type]` list them and retry one (read it
 * from the channel again; imported when it maps now, parked again with the reason when not). The same
 * for every connector that imports orders; the connector only says how it reads one order again.
 */
export class ParkedOrderDesk<C extends Connection = Connection> {
  private subscriptions: Subscription[] = [];
  private readAgain?: { read: ReadAgain<C>; options: RetryOptions<C> };

  constructor(
    readonly store: ParkedOrders,
    private readonly registry: ConnectionRegistry<C>,
    private readonly inbox: OrdersInbox,
    private readonly stored: StoredOrders,
    private readonly metrics: ConnectorMetrics,
    private readonly logger: Logger,
  ) {}

  /** Set by a connector that parks orders: how it reads one again for a retry. */
  retriesBy(read: ReadAgain<C>, options: RetryOptions<C>): void {
    this.readAgain = { read, options };
  }

  start(nats: NatsClient, service: string): void {
    const type = this.registry.type;
    if (!(type in ParkedOrderMethods)) return;
    const methods = ParkedOrderMethods[type as keyof typeof ParkedOrderMethods];
    const listen = (subject: string, answer: (msg: Msg) => Promise<unknown>) =>
      nats.nc.subscribe(nats.names.subject(subject), {
        queue: service,
        callback: (err, msg) => {
          if (!err) void respond(msg, answer);
        },
      });
    this.subscriptions = [
      listen(RpcMethods[methods.list].subject, async (msg) => {
        const req = RpcMethods[methods.list].request.parse(msg.json());
        return { items: await this.store.list(req.accountId, req.body.connectionId) };
      }),
      listen(RpcMethods[methods.retry].subject, async (msg) => {
        const req = RpcMethods[methods.retry].request.parse(msg.json());
        return this.retry(req.accountId, req.body.connectionId, req.body.externalId);
      }),
      listen(RpcMethods[methods.drop].subject, async (msg) => {
        const req = RpcMethods[methods.drop].request.parse(msg.json());
        return this.drop(req.accountId, req.body.connectionId, req.body.externalId);
      }),
    ];
  }

  stop(): void {
    for (const s of this.subscriptions) s.unsubscribe();
    this.subscriptions = [];
  }

  /**
   * The order to hand in, or undefined after parking it with the reason: not held back (it would pin
   * the checkpoint) and not forgotten once the checkpoint moved on.
   */
  async mapOrPark(c: C, read: ChannelOrderRead): Promise<ChannelOrder | undefined> {
    try {
      return read.map();
    } catch (err) {
      if (!(err instanceof UnreadableOrderError)) throw err;
      this.logger.warn({ connectionId: c.id, externalId: read.externalId, reason: err.reason }, 'channel order parked: cannot be imported');
      await this.store.park({
        accountId: c.accountId,
        connectionId: c.id,
        externalId: read.externalId,
        ...(read.orderNumber ? { orderNumber: read.orderNumber } : {}),
        reason: err.reason,
      });
      this.metrics.ordersParked.inc({ connector: this.registry.type });
      return undefined;
    }
  }

  /**
   * The merchant handles a parked order by hand: it is no longer listed and stays unimported (parked
   * again only when the channel serves it changed and it still cannot be read).
   */
  async drop(accountId: string, connectionId: string, externalId: string): Promise<ParkedChannelOrder> {
    const parked = await this.store.get(accountId, connectionId, externalId);
    if (!parked) throw ProblemError.notFound('parked order');
    await this.store.release(connectionId, externalId);
    this.logger.info({ connectionId, externalId }, 'parked channel order dropped by the merchant');
    return parked;
  }

  /** A parked order of the caller's connection, read from the channel again. */
  async retry(accountId: string, connectionId: string, externalId: string): Promise<ParkedOrderRetryResult> {
    if (!(await this.store.get(accountId, connectionId, externalId)) || !this.readAgain) throw ProblemError.notFound('parked order');
    const connection = await this.registry.byId(connectionId);
    if (!connection || connection.accountId !== accountId) {
      throw ProblemError.conflict('the connection is inactive or was deleted; activate it to retry its parked orders');
    }
    const { read, options } = this.readAgain;
    let again: ChannelOrderRead;
    try {
      again = await read(connection, externalId);
    } catch (err) {
      throw unavailable(`the ${this.registry.type} channel did not give the order: ${errText(err)}`);
    }
    const order = await this.mapOrPark(connection, again);
    if (!order) return { externalId, outcome: 'parked', reason: (await this.store.get(accountId, connectionId, externalId))?.reason };
    await this.inbox.submitOrder(connection, order);
    this.metrics.ordersSubmitted.inc({ connector: this.registry.type });
    const stored = await this.stored.awaitStored(connection, [order.externalId], options.storeWaitMs);
    if (!stored.has(order.externalId)) {
      throw unavailable('the order was handed in but the hub has not stored it yet; it stays parked, try again shortly');
    }
    await options.onStored?.(connection, order.externalId).catch((err: unknown) => {
      this.logger.warn(
        { connectionId, externalId, err: errText(err) },
        'a retried order is stored, but the channel was not told; the next poll does',
      );
    });
    await this.store.release(connectionId, order.externalId);
    const hubOrder = await this.stored.find(connection, order.externalId);
    return { externalId, outcome: 'imported', ...(hubOrder ? { orderId: hubOrder.id } : {}) };
  }
}

async function respond(msg: Msg, answer: (msg: Msg) => Promise<unknown>): Promise<void> {
  try {
    msg.respond(JSON.stringify(okReply(await answer(msg))));
  } catch (err) {
    msg.respond(JSON.stringify(errorReply(err)));
  }
}

function unavailable(detail: string): ProblemError {
  return new ProblemError({ type: ProblemTypes.unavailable, title: 'Service unavailable', status: 503, detail: detail.slice(0, 500) });
}

const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));
