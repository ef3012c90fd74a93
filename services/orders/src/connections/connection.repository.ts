import type { mongo } from 'mongoose';
import type { ConnectionType } from '@orderhub/contracts';
import { TenantCollection } from '../infrastructure/tenant-collection';

export interface ConnectionDoc {
  _id: string;
  accountId: string;
  type: ConnectionType;
  settings: Record<string, unknown>;
  /** SecretBox envelope `v1.<keyId>.…`: the key id travels with the ciphertext for rotation. */
  encryptedSecrets: string;
  secretsSet: string[];
  createdAt: string;
  updatedAt: string;
}

export class ConnectionRepository extends TenantCollection<ConnectionDoc> {
  constructor(collection: mongo.Collection<ConnectionDoc>) {
    super(collection);
  }

  /**
   * The one query across accounts: connectors serve every tenant of their type. Callers narrow it
   * with account or connection ids; it never answers for another type.
   */
  activeOfType(type: ConnectionType, accountIds?: string[], connectionIds?: string[]): Promise<ConnectionDoc[]> {
    const filter: Record<string, unknown> = { type, 'settings.active': true };
    if (accountIds?.length) filter.accountId = { $in: accountIds };
    if (connectionIds?.length) filter._id = { $in: connectionIds };
    return this.collection.find(filter as mongo.Filter<ConnectionDoc>).toArray() as Promise<ConnectionDoc[]>;
  }
}
