import { Inject, Injectable } from '@nestjs/common';
import type { WebhookSubscription } from '@orderhub/contracts';
import { type SubscriptionDoc, WebhooksDatabase } from '../store/webhooks-database';

export function toSubscriptionView(doc: SubscriptionDoc): WebhookSubscription {
  return {
    id: doc._id,
    accountId: doc.accountId,
    uri: doc.uri,
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    paused: doc.paused,
    filters: doc.filters,
    headers: doc.headers,
    properties: JSON.parse(doc.propertiesJson) as Record<string, unknown>,
    ...(doc.disabledAt ? { disabledAt: doc.disabledAt.toISOString(), disabledReason: doc.disabledReason } : {}),
    ...(doc.failingSince ? { failingSince: doc.failingSince.toISOString() } : {}),
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

/** Subscriptions per account. Reads by `_id` check the tenant after the read (FerretDB: `_id` alone is indexed). */
@Injectable()
export class SubscriptionRepository {
  constructor(@Inject(WebhooksDatabase) private readonly db: WebhooksDatabase) {}

  async get(accountId: string, id: string): Promise<SubscriptionDoc | undefined> {
    const doc = await this.db.subscriptions.findOne({ _id: id });
    return doc && doc.accountId === accountId ? doc : undefined;
  }

  /** By id for the delivery worker, which has no tenant of its own (the delivery names it). */
  async byId(id: string): Promise<SubscriptionDoc | undefined> {
    return (await this.db.subscriptions.findOne({ _id: id })) ?? undefined;
  }

  list(accountId: string): Promise<SubscriptionDoc[]> {
    return this.db.subscriptions.find({ accountId }).sort({ createdAt: 1, _id: 1 }).toArray();
  }

  async insert(doc: SubscriptionDoc): Promise<void> {
    await this.db.subscriptions.insertOne(doc);
  }

  async set(id: string, fields: Partial<SubscriptionDoc>, unset: (keyof SubscriptionDoc)[] = []): Promise<void> {
    await this.db.subscriptions.updateOne(
      { _id: id },
      { $set: fields, ...(unset.length ? { $unset: Object.fromEntries(unset.map((k) => [k, ''])) } : {}) },
    );
  }

  async delete(id: string): Promise<void> {
    await this.db.subscriptions.deleteOne({ _id: id });
  }
}
