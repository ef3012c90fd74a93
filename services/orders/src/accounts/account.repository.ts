import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { mongo } from 'mongoose';
import type { AccountCreated } from '@orderhub/contracts';

export interface AccountDoc {
  _id: string;
  name: string;
  apiKeyId: string;
  /** sha256 of the key (hex); the key itself is shown once and never stored. */
  apiKeyHash: string;
  createdAt: string;
}

const hashOf = (apiKey: string) => createHash('sha256').update(apiKey).digest('hex');

/** Accounts are the tenants themselves, so this is the one repository without an account scope. */
export class AccountRepository {
  constructor(private readonly accounts: mongo.Collection<AccountDoc>) {}

  async create(name: string): Promise<AccountCreated> {
    const apiKey = `oh_${randomBytes(32).toString('base64url')}`;
    const doc: AccountDoc = {
      _id: randomUUID(),
      name,
      apiKeyId: `key_${randomBytes(8).toString('hex')}`,
      apiKeyHash: hashOf(apiKey),
      createdAt: new Date().toISOString(),
    };
    await this.accounts.insertOne(doc);
    return { accountId: doc._id, apiKeyId: doc.apiKeyId, apiKey };
  }

  async findByName(name: string): Promise<AccountDoc | undefined> {
    return (await this.accounts.findOne({ name })) ?? undefined;
  }

  /** Issues a new key for an account; the old one stops working at once. */
  async rotateKey(accountId: string): Promise<AccountCreated> {
    const apiKey = `oh_${randomBytes(32).toString('base64url')}`;
    const apiKeyId = `key_${randomBytes(8).toString('hex')}`;
    await this.accounts.updateOne({ _id: accountId }, { $set: { apiKeyId, apiKeyHash: hashOf(apiKey) } });
    return { accountId, apiKeyId, apiKey };
  }

  async authenticate(apiKey: string): Promise<{ accountId: string; apiKeyId: string } | undefined> {
    const hash = hashOf(apiKey);
    const doc = await this.accounts.findOne({ apiKeyHash: hash });
    if (!doc) return undefined;
    // The lookup is by hash already; compare again in constant time so the answer never depends on timing.
    const ok = timingSafeEqual(Buffer.from(doc.apiKeyHash, 'hex'), Buffer.from(hash, 'hex'));
    return ok ? { accountId: doc._id, apiKeyId: doc.apiKeyId } : undefined;
  }
}
