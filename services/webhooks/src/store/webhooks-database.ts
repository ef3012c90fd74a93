import type { mongo } from 'mongoose';
import { RevisionGuard, type RevisionCheck, revisionCheckFor } from '@orderhub/platform';

export interface SubscriptionDoc {
  _id: string;
  accountId: string;
  uri: string;
  /** SecretBox envelope of the HMAC key. */
  encryptedSecret: string;
  description?: string;
  paused: boolean;
  filters: string[];
  headers: Record<string, string>;
  /** JSON text: FerretDB v1 stores no keys with `.` or `$`, and these are the subscriber's own. */
  propertiesJson: string;
  disabledAt?: Date;
  disabledReason?: string;
  failingSince?: Date;
  createdAt: Date;
  updatedAt: Date;
  rev?: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'abandoned';

export interface DeliveryDoc {
  /** `whd_` + hash of event id and subscription id: the same event never makes two deliveries. */
  _id: string;
  accountId: string;
  subscriptionId: string;
  eventId: string;
  action: string;
  orderId?: string;
  /** The notification (`Notifications[0]`) as JSON text; the body is built per attempt. */
  notificationJson: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  leaseUntil?: Date;
  lastAttemptAt?: Date;
  lastStatus?: number;
  lastError?: string;
  deliveredAt?: Date;
  createdAt: Date;
  rev?: number;
}

/** The webhooks service's own database. */
export class WebhooksDatabase {
  private readonly revisionCheck: Promise<RevisionCheck>;

  constructor(readonly db: mongo.Db) {
    this.revisionCheck = revisionCheckFor(db);
  }

  revisionGuard(collection: string): RevisionGuard {
    return new RevisionGuard(this.writeClaims, collection, this.revisionCheck);
  }

  get subscriptions() {
    return this.db.collection<SubscriptionDoc>('subscriptions');
  }
  get deliveries() {
    return this.db.collection<DeliveryDoc>('deliveries');
  }
  get writeClaims() {
    return this.db.collection<{ _id: string; at: Date }>('write_claims');
  }

  /** Plain indexes only (FerretDB v1). */
  async ensureIndexes(): Promise<void> {
    await this.subscriptions.createIndex({ accountId: 1 }, { name: 'account' });
    await this.deliveries.createIndex({ status: 1, nextAttemptAt: 1 }, { name: 'due' });
    await this.deliveries.createIndex({ accountId: 1, createdAt: -1 }, { name: 'account_recent' });
  }
}
