import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@orderhub/platform';
import { OrderRepository } from './order.repository';

/**
 * At start, in the background: list copies a crash left missing or behind are put back (FerretDB).
 * Until then such an order is still readable by id, only absent from or misplaced in lists.
 */
@Injectable()
export class OrderListRepair implements OnApplicationBootstrap {
  constructor(
    @Inject(OrderRepository) private readonly orders: OrderRepository,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const started = Date.now();
    this.orders
      .repairLists()
      .then((written) => {
        if (written) this.log.info({ written, ms: Date.now() - started }, 'order list copies repaired');
      })
      .catch((err: unknown) => this.log.warn({ err }, 'order list repair failed; lists may miss orders until the next start'));
  }
}
