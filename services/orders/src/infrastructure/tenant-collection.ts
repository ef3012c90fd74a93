import type { mongo } from 'mongoose';

export type Filter = Record<string, unknown>;

/**
 * The base of every tenant repository: each query carries the account id, set last so a caller's
 * filter can never override it. No method takes a filter without an account (multi-tenancy rule).
 */
export class TenantCollection<T extends { _id: string; accountId: string }> {
  constructor(readonly collection: mongo.Collection<T>) {}

  protected scoped(accountId: string, filter: Filter = {}): mongo.Filter<T> {
    if (!accountId) throw new Error('a tenant query needs an accountId');
    return { ...filter, accountId } as mongo.Filter<T>;
  }

  findOne(accountId: string, filter: Filter, options?: mongo.FindOptions): Promise<T | null> {
    return this.collection.findOne(this.scoped(accountId, filter), options) as Promise<T | null>;
  }

  find(accountId: string, filter: Filter, options?: mongo.FindOptions): mongo.FindCursor<T> {
    return this.collection.find(this.scoped(accountId, filter), options) as unknown as mongo.FindCursor<T>;
  }

  async insertOne(accountId: string, doc: T): Promise<void> {
    if (doc.accountId !== accountId) throw new Error('document belongs to another account');
    await this.collection.insertOne(doc as mongo.OptionalUnlessRequiredId<T>);
  }

  /** Returns whether a document matched (a miss means not found or a version conflict). */
  async updateOne(accountId: string, filter: Filter, update: mongo.UpdateFilter<T>): Promise<boolean> {
    const result = await this.collection.updateOne(this.scoped(accountId, filter), update);
    return result.matchedCount === 1;
  }

  async deleteOne(accountId: string, filter: Filter): Promise<boolean> {
    const result = await this.collection.deleteOne(this.scoped(accountId, filter));
    return result.deletedCount === 1;
  }
}

export function isDuplicateKey(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as { code?: number }).code === 11000;
}

/** Drops undefined members (the driver would store them as null) so documents stay as sparse as the model. */
export function plain<V>(value: V): V {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as V);
}
