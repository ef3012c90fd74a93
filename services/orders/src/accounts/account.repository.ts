import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { mongo } from 'mongoose';
import { type AccountCreated, type ApiKeyCreated, type ApiKeyView, ProblemError } from '@orderhub/contracts';

export interface AccountDoc {
  _id: string;
  name: string;
  /** The account's first key. Accounts from before `api_keys` have it only here (adopted on first use). */
  apiKeyId: string;
  /** sha256 of the first key (hex), or of random bytes once that key is revoked (the index is unique). */
  apiKeyHash: string;
  createdAt: string;
}

/** One native API key; the key itself is shown once and never stored. */
export interface ApiKeyDoc {
  _id: string;
  accountId: string;
  name: string;
  /** sha256 of the key (hex). */
  hash: string;
  createdAt: string;
}

const hashOf = (apiKey: string) => createHash('sha256').update(apiKey).digest('hex');
const newKey = () => ({ apiKey: `oh_${randomBytes(32).toString('base64url')}`, apiKeyId: `key_${randomBytes(8).toString('hex')}` });
const unusableHash = () => hashOf(randomBytes(32).toString('hex'));
const view = (doc: ApiKeyDoc): ApiKeyView => ({ id: doc._id, name: doc.name, createdAt: doc.createdAt });
const INITIAL_KEY_NAME = 'initial';
const MAX_KEYS_PER_ACCOUNT = 20;

/** Accounts are the tenants themselves, so this is the one repository without an account scope. */
export class AccountRepository {
  constructor(
    private readonly accounts: mongo.Collection<AccountDoc>,
    private readonly apiKeys: mongo.Collection<ApiKeyDoc>,
  ) {}

  async create(name: string): Promise<AccountCreated> {
    const { apiKey, apiKeyId } = newKey();
    const now = new Date().toISOString();
    const doc: AccountDoc = { _id: randomUUID(), name, apiKeyId, apiKeyHash: hashOf(apiKey), createdAt: now };
    await this.accounts.insertOne(doc);
    await this.apiKeys.insertOne({ _id: apiKeyId, accountId: doc._id, name: INITIAL_KEY_NAME, hash: doc.apiKeyHash, createdAt: now });
    return { accountId: doc._id, apiKeyId, apiKey };
  }

  async findByName(name: string): Promise<AccountDoc | undefined> {
    return (await this.accounts.findOne({ name })) ?? undefined;
  }

  /** Issues a new key for an account; every other key stops working at once. */
  async rotateKey(accountId: string): Promise<AccountCreated> {
    const { apiKey, apiKeyId } = newKey();
    const hash = hashOf(apiKey);
    await this.apiKeys.deleteMany({ accountId });
    await this.accounts.updateOne({ _id: accountId }, { $set: { apiKeyId, apiKeyHash: hash } });
    await this.apiKeys.insertOne({ _id: apiKeyId, accountId, name: INITIAL_KEY_NAME, hash, createdAt: new Date().toISOString() });
    return { accountId, apiKeyId, apiKey };
  }

  async createKey(accountId: string, name: string): Promise<ApiKeyCreated> {
    await this.adoptLegacyKey(accountId);
    if ((await this.apiKeys.countDocuments({ accountId })) >= MAX_KEYS_PER_ACCOUNT) {
      throw ProblemError.conflict(`an account has at most ${MAX_KEYS_PER_ACCOUNT} API keys; revoke one first`);
    }
    const { apiKey, apiKeyId } = newKey();
    const doc: ApiKeyDoc = { _id: apiKeyId, accountId, name, hash: hashOf(apiKey), createdAt: new Date().toISOString() };
    await this.apiKeys.insertOne(doc);
    return { ...view(doc), apiKey };
  }

  async listKeys(accountId: string): Promise<ApiKeyView[]> {
    await this.adoptLegacyKey(accountId);
    return (await this.apiKeys.find({ accountId }).sort({ createdAt: 1, _id: 1 }).toArray()).map(view);
  }

  /** 404 for a key of another account (or none), 409 for the account's last key (it would lock itself out). */
  async revokeKey(accountId: string, apiKeyId: string): Promise<void> {
    await this.adoptLegacyKey(accountId);
    const doc = await this.apiKeys.findOne({ _id: apiKeyId, accountId });
    if (!doc) throw ProblemError.notFound('API key');
    if ((await this.apiKeys.countDocuments({ accountId })) <= 1) {
      throw ProblemError.conflict('this is the last API key of the account: create another one before revoking it');
    }
    await this.apiKeys.deleteOne({ _id: apiKeyId, accountId });
    // the first key also lives on the account document: make that copy unusable too
    await this.accounts.updateOne({ _id: accountId, apiKeyId }, { $set: { apiKeyHash: unusableHash() } });
  }

  async authenticate(apiKey: string): Promise<{ accountId: string; apiKeyId: string } | undefined> {
    const hash = hashOf(apiKey);
    const key = await this.apiKeys.findOne({ hash });
    // The lookup is by hash already; compare again in constant time so the answer never depends on timing.
    if (key) return sameHash(key.hash, hash) ? { accountId: key.accountId, apiKeyId: key._id } : undefined;
    const account = await this.accounts.findOne({ apiKeyHash: hash });
    if (!account || !sameHash(account.apiKeyHash, hash)) return undefined;
    // an account from before api_keys: its key is only on the account document, and still valid
    return (await this.adoptLegacyKey(account._id)) ? { accountId: account._id, apiKeyId: account.apiKeyId } : undefined;
  }

  /**
   * An account created before keys had their own collection keeps its key on the account document
   * only: copy it over once, so listing and revoking see it. False when it was revoked already.
   */
  private async adoptLegacyKey(accountId: string): Promise<boolean> {
    const account = await this.accounts.findOne({ _id: accountId });
    if (!account) return false;
    if (await this.apiKeys.findOne({ _id: account.apiKeyId })) return true;
    if (await this.apiKeys.findOne({ accountId })) return false; // it has other keys: the first one was revoked
    await this.apiKeys.updateOne(
      { _id: account.apiKeyId },
      { $setOnInsert: { accountId, name: INITIAL_KEY_NAME, hash: account.apiKeyHash, createdAt: account.createdAt } },
      { upsert: true },
    );
    return true;
  }
}

function sameHash(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}
