import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { WebhookDelivery } from '@orderhub/contracts';
import { isDuplicateKey, type RevisionGuard, VersionConflict } from '@orderhub/platform';
import { type DeliveryDoc, type DeliveryStatus, WebhooksDatabase } from '../store/webhooks-database';

/** One event to one subscription makes one delivery, however often JetStream hands the event in. */
export function deliveryIdFor(eventId: string, subscriptionId: string): string {
  return `whd_${createHash('sha256').update(`${eventId}\n${subscriptionId}`).digest('base64url').slice(0, 22)}`;
}

export function toDeliveryView(doc: DeliveryDoc): WebhookDelivery {
  const iso = (d: Date | undefined) => (d ? d.toISOString() : undefined);
  return {
    id: doc._id,
    subscriptionId: doc.subscriptionId,
    eventId: doc.eventId,
    action: doc.action,
    ...(doc.orderId ? { orderId: doc.orderId } : {}),
    status: doc.status,
    attempts: doc.attempts,
    ...(doc.status === 'pending' ? { nextAttemptAt: iso(doc.nextAttemptAt) } : {}),
    ...(doc.lastAttemptAt ? { lastAttemptAt: iso(doc.lastAttemptAt) } : {}),
    ...(doc.lastStatus !== undefined ? { lastStatus: doc.lastStatus } : {}),
    ...(doc.lastError ? { lastError: doc.lastError } : {}),
    ...(doc.deliveredAt ? { deliveredAt: iso(doc.deliveredAt) } : {}),
    createdAt: doc.createdAt.toISOString(),
  };
}

/**
 * The stored schedule: a delivery is written before its event is acknowledged and every attempt's
 * outcome is written back, so a killed replica loses nothing; the next one finds it due.
 */
@Injectable()
export class DeliveryRepository {
  private readonly guard: RevisionGuard;
  /** When the read (or write) that a document's revision is known from began: RevisionGuard's fresh read. */
  private readonly knownSince = new WeakMap<DeliveryDoc, number>();

  constructor(@Inject(WebhooksDatabase) private readonly db: WebhooksDatabase) {
    this.guard = db.revisionGuard('deliveries');
  }

  /** False when the delivery exists already (a redelivered event). */
  async insertIfNew(doc: DeliveryDoc): Promise<boolean> {
    const at = Date.now();
    try {
      await this.db.deliveries.insertOne(doc);
      this.knownSince.set(doc, at);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async byId(id: string): Promise<DeliveryDoc | undefined> {
    const at = Date.now();
    const doc = await this.db.deliveries.findOne({ _id: id });
    if (doc) this.knownSince.set(doc, at);
    return doc ?? undefined;
  }

  async due(now: Date, limit: number): Promise<DeliveryDoc[]> {
    const at = Date.now();
    const docs = await this.db.deliveries
      .find({ status: 'pending', nextAttemptAt: { $lte: now } })
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .toArray();
    for (const doc of docs) this.knownSince.set(doc, at);
    return docs;
  }

  list(accountId: string, filter: { subscriptionId?: string; status?: DeliveryStatus }, limit: number): Promise<DeliveryDoc[]> {
    return this.db.deliveries
      .find({
        accountId,
        ...(filter.subscriptionId ? { subscriptionId: filter.subscriptionId } : {}),
        ...(filter.status ? { status: filter.status } : {}),
      })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .toArray();
  }

  /**
   * Writes over the revision that was read; false when another replica changed the delivery meanwhile
   * (it claimed or finished it). Returns the new revision's document on success.
   */
  async update(doc: DeliveryDoc, set: Partial<DeliveryDoc>, unset: (keyof DeliveryDoc)[] = []): Promise<DeliveryDoc | undefined> {
    const at = Date.now();
    try {
      await this.guard.update(
        this.db.deliveries as never,
        { _id: doc._id },
        doc.rev ?? 0,
        { $set: set, ...(unset.length ? { $unset: Object.fromEntries(unset.map((k) => [k, ''])) } : {}) },
        this.knownSince.get(doc),
      );
      const written: DeliveryDoc = { ...doc, ...set, rev: (doc.rev ?? 0) + 1 };
      // its revision is known from our own write, which ended after `at`: an earlier time is the safe side
      this.knownSince.set(written, at);
      return written;
    } catch (err) {
      if (err instanceof VersionConflict) return undefined;
      throw err;
    }
  }
}
