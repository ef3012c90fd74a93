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

  /**
   * A lookup by `_id` alone is checked for the account after reading: FerretDB v1 (SQLite) uses its
   * primary key only for a filter that is exactly `{ _id }`; any other field turns the lookup into a
   * scan of the collection. A document of another account is reported as not found, as before.
   */
  async findOne(accountId: string, filter: Filter, options?: mongo.FindOptions): Promise<T | null> {
    if (!accountId) throw new Error('a tenant query needs an accountId');
    const keys = Object.keys(filter);
    if (keys.length === 1 && keys[0] === '_id' && typeof filter._id === 'string') {
      const doc = (await this.collection.findOne({ _id: filter._id } as mongo.Filter<T>, withAccountId(options))) as T | null;
      return doc && doc.accountId === accountId ? doc : null;
    }
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

/** An inclusion projection must still return accountId for the tenant check. */
function withAccountId(options?: mongo.FindOptions): mongo.FindOptions | undefined {
  const projection = options?.projection as Record<string, unknown> | undefined;
  if (!projection || !Object.values(projection).some((v) => v === 1 || v === true)) return options;
  return { ...options, projection: { ...projection, accountId: 1 } };
}

/** Drops undefined members (the driver would store them as null) so documents stay as sparse as the model. */
export function plain<V>(value: V): V {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as V);
}
