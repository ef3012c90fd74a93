import type { GoodsOrder, Parcel } from './goods-orders';
import { notFound } from './wemalo-errors';

/** One "sent" booking: an article leaving the warehouse in a parcel. The client marks it synced. */
export interface SentBooking {
  historyId: number;
  packageId: number;
  goodsOrderId: number;
  externalGoodsOrderId: string;
  orderNumberCustomer: string;
  trackingNumber: string;
  dispatcherName: string;
  dispatcherProduct: string;
  profileName: string;
  handoverDate: Date;
  bookingDate: Date;
  sku: string;
  externalProductId: string;
  count: number;
  serialNumber?: string;
  recipient: Record<string, unknown>;
  syncedAt?: Date;
}

/** Sent-package bookings with the "synch date" that `PUT /goodsOrder/packages/sent/:bookingId` sets. */
export class SentPackageLedger {
  private readonly bookings: SentBooking[] = [];
  private nextHistoryId = 5_000_001;

  constructor(private readonly now: () => Date) {}

  book(order: GoodsOrder, parcel: Parcel): SentBooking[] {
    const at = parcel.handoverDate ?? this.now();
    const receivers = Array.isArray(order.meta.receiver) ? (order.meta.receiver as Record<string, unknown>[]) : [];
    const recipient = receivers.find((r) => r.primary) ?? receivers[0] ?? {};
    const created = parcel.items.map((item) => ({
      historyId: this.nextHistoryId++,
      packageId: parcel.id,
      goodsOrderId: order.id,
      externalGoodsOrderId: order.externalId,
      orderNumberCustomer: order.orderNumber,
      trackingNumber: parcel.trackingNumber,
      dispatcherName: parcel.carrier,
      dispatcherProduct: parcel.dispatcherProduct,
      profileName: parcel.profileName,
      handoverDate: at,
      bookingDate: at,
      sku: item.sku,
      externalProductId: item.externalId,
      count: item.quantity,
      ...(item.serialNumber ? { serialNumber: item.serialNumber } : {}),
      recipient,
    }));
    this.bookings.push(...created);
    return created;
  }

  unsynced(externalId?: string): SentBooking[] {
    return this.bookings.filter((b) => !b.syncedAt && (!externalId || b.externalGoodsOrderId === externalId));
  }

  all(): SentBooking[] {
    return [...this.bookings];
  }

  markSynced(historyId: number): SentBooking {
    const booking = this.bookings.find((b) => b.historyId === historyId);
    if (!booking) throw notFound('bookingId', `No sent booking with id ${historyId} found.`);
    booking.syncedAt ??= this.now();
    return booking;
  }

  synced(): SentBooking[] {
    return this.bookings.filter((b) => b.syncedAt);
  }

  clear(): void {
    this.bookings.length = 0;
  }
}
