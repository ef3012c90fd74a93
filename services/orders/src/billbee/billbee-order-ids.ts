import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { billbeeIdFor } from '@orderhub/contracts';
import { duplicateKeyIndexes, isDuplicateKey, LOGGER } from '@orderhub/platform';
import { OrdersDatabase } from '../infrastructure/database';

interface BillbeeOrderIdDoc {
  /** `BillBeeOrderId`: a number, so the lookup is by primary key. */
  _id: number;
  orderId: string;
  accountId: string;
}

/**
 * Billbee clients address orders by a 64-bit number (`BillBeeOrderId`). It is derived from our id
 * (`billbeeIdFor`), so no order document changes; this collection answers the way back by `_id`.
 */
@Injectable()
export class BillbeeOrderIds implements OnModuleInit {
  constructor(
    @Inject(OrdersDatabase) private readonly db: OrdersDatabase,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  private get ids() {
    return this.db.db.collection<BillbeeOrderIdDoc>('billbee_order_ids');
  }

  async onModuleInit(): Promise<void> {
    await this.ids.createIndex({ orderId: 1 }, { name: 'order_id' });
  }

  async remember(accountId: string, orderId: string): Promise<void> {
    const _id = billbeeIdFor('order', orderId);
    try {
      await this.ids.insertOne({ _id, orderId, accountId });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await this.ids.findOne({ _id });
      // Two orders on one number (about 1 in a million at 100 000 orders): the first keeps it.
      if (existing && existing.orderId !== orderId) this.log.error({ billbeeOrderId: _id }, 'Billbee order id taken by another order');
    }
  }

  /** A batch of imported orders in one insert; a number already held is checked as in `remember`. */
  async rememberMany(orders: { accountId: string; orderId: string }[]): Promise<void> {
    if (!orders.length) return;
    const docs = orders.map(({ accountId, orderId }) => ({ _id: billbeeIdFor('order', orderId), orderId, accountId }));
    try {
      await this.ids.insertMany(docs, { ordered: false });
    } catch (err) {
      for (const i of duplicateKeyIndexes(err)) {
        const doc = docs[i];
        if (doc) await this.remember(doc.accountId, doc.orderId);
      }
    }
  }

  /** Our order id for the account's Billbee number; undefined for unknown numbers and other tenants' orders. */
  async resolve(accountId: string, billbeeOrderId: number): Promise<string | undefined> {
    const doc = await this.ids.findOne({ _id: billbeeOrderId });
    return doc && doc.accountId === accountId ? doc.orderId : undefined;
  }
}
