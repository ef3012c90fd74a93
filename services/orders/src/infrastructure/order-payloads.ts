import type { mongo } from 'mongoose';
import { insertManyKeepingExisting } from '@orderhub/platform';

export interface OrderPayloadDoc {
  /** The order's id. */
  _id: string;
  accountId: string;
  rawPayload: string;
}

/**
 * What a channel sent for each order (`rawPayload`, up to 1 MB), kept apart from the order: it is
 * read only by the raw-payload endpoint, and inside the order every read and every change would carry
 * it. On FerretDB a read or update costs in proportion to the document's size (docs/architecture.md).
 */
export class OrderPayloads {
  constructor(private readonly collection: mongo.Collection<OrderPayloadDoc>) {}

  /** Payloads of new orders, before the orders: one that is stored already (a redelivered import) stays. */
  addNew(payloads: OrderPayloadDoc[]): Promise<void> {
    return insertManyKeepingExisting(this.collection, payloads);
  }

  /** A changed order's payload (or one moved out of an order that still held it). */
  async put(payload: OrderPayloadDoc): Promise<void> {
    await this.collection.replaceOne({ _id: payload._id }, payload, { upsert: true });
  }

  async of(accountId: string, orderId: string): Promise<string | undefined> {
    const doc = await this.collection.findOne({ _id: orderId });
    return doc?.accountId === accountId ? doc.rawPayload : undefined;
  }
}
