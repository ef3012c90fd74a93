import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { ProblemError } from '@orderhub/contracts';
import { enrichContext } from '@orderhub/platform';
import type { OrderAggregate } from '../domain/order';
import { OrderOutboxRelay } from '../infrastructure/outbox-relay';
import { OrderRepository, VersionConflict } from '../infrastructure/order.repository';
import { orderOutboxEntries } from './order-outbox';

/** With the outbox relay and imports touching the same order, a command may lose a few races in a row. */
const MAX_ATTEMPTS = 40;

/**
 * Load → change → versioned single-document write (with history and outbox), retried from a fresh
 * load when another writer got there first. The change function must be safe to run again.
 */
@Injectable()
export class OrderWriter {
  constructor(
    @Inject(OrderRepository) private readonly orders: OrderRepository,
    @Inject(OrderOutboxRelay) private readonly relay: OrderOutboxRelay,
  ) {}

  async change(accountId: string, orderId: string, apply: (order: OrderAggregate) => void | Promise<void>): Promise<OrderAggregate> {
    enrichContext({ orderId });
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const order = await this.orders.findForChange(accountId, orderId);
      if (!order) throw ProblemError.notFound('order');
      await apply(order);
      const { events, history } = order.changes;
      if (!events.length && !history.length) return order;
      if (events.length) order.assertWithinLimits();
      order.advanceVersion();
      try {
        await this.persist(order);
        return order;
      } catch (err) {
        if (!(err instanceof VersionConflict)) throw err;
        await sleep(Math.floor(Math.random() * Math.min(250, 20 * (attempt + 1))));
      }
    }
    throw ProblemError.conflict('the order keeps changing, try again');
  }

  /**
   * Writes a changed order (VersionConflict when another writer got there first). The writer
   * publishes its own events and clears them from the order, which spares the relay reading the order
   * back, a marker written and removed, and a second guarded write. An order that still held
   * unpublished events when loaded is left to the relay, which publishes them in order.
   */
  async persist(order: OrderAggregate): Promise<void> {
    const since = Date.now();
    const outbox = orderOutboxEntries(order);
    const pending = this.orders.hadPendingEvents(order);
    if (!outbox.length || pending) {
      await this.orders.save(order, outbox);
      if (outbox.length) this.relay.nudge();
      else if (!pending) this.orders.rememberWritten(order, 1, since);
      return;
    }
    const { held, written } = await this.orders.saveHolding(order, outbox);
    if (await this.relay.publishSaved(written, held)) this.orders.rememberWritten(order, 2, since);
  }
}
