import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type BillbeeCredentialCreated, type BillbeeCredentialView, ProblemError, ProblemTypes } from '@orderhub/contracts';
import { isDuplicateKey } from '@orderhub/platform';
import { OrdersDatabase } from '../infrastructure/database';

interface BillbeeCredentialDoc {
  /** The Basic-auth user name, lower-case: logins look it up by primary key. */
  _id: string;
  accountId: string;
  username: string;
  apiKeyHash: string;
  passwordHash: string;
  createdAt: Date;
}

/** Random 32-byte secrets: SHA-256 is enough (nothing to guess from), as for native API keys. */
const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');
const sameHash = (a: string, b: string) => timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));

/** Billbee API access per account: user name, API password and API key, created and revoked by the merchant. */
@Injectable()
export class BillbeeCredentials {
  constructor(@Inject(OrdersDatabase) private readonly db: OrdersDatabase) {}

  private get credentials() {
    return this.db.db.collection<BillbeeCredentialDoc>('billbee_credentials');
  }

  async create(accountId: string, username?: string): Promise<BillbeeCredentialCreated> {
    const name = username ?? `${accountId}-${randomBytes(3).toString('hex')}`;
    const apiKey = randomBytes(24).toString('base64url');
    const password = randomBytes(24).toString('base64url');
    const doc: BillbeeCredentialDoc = {
      _id: name.toLowerCase(),
      accountId,
      username: name,
      apiKeyHash: hashOf(apiKey),
      passwordHash: hashOf(password),
      createdAt: new Date(),
    };
    try {
      await this.credentials.insertOne(doc);
    } catch (err) {
      if (isDuplicateKey(err)) throw ProblemError.conflict('this user name is taken');
      throw err;
    }
    return { ...view(doc), apiKey, password };
  }

  async list(accountId: string): Promise<BillbeeCredentialView[]> {
    return (await this.credentials.find({ accountId }).sort({ createdAt: 1 }).toArray()).map(view);
  }

  async revoke(accountId: string, credentialId: string): Promise<void> {
    const doc = await this.credentials.findOne({ _id: credentialId.toLowerCase() });
    if (!doc || doc.accountId !== accountId) throw ProblemError.notFound('Billbee credential');
    await this.credentials.deleteOne({ _id: doc._id });
  }

  async authenticate(
    apiKey: string,
    username: string,
    password: string,
  ): Promise<{ accountId: string; credentialId: string; username: string }> {
    const doc = await this.credentials.findOne({ _id: username.toLowerCase() });
    // Both hashes are compared whatever the first says, so the answer never depends on which was wrong.
    const keyOk = !!doc && sameHash(doc.apiKeyHash, hashOf(apiKey));
    const passwordOk = !!doc && sameHash(doc.passwordHash, hashOf(password));
    if (!doc || !keyOk || !passwordOk) {
      throw new ProblemError({
        type: ProblemTypes.unauthorized,
        title: 'Unauthorized',
        status: 401,
        detail: 'wrong Billbee API credentials',
      });
    }
    return { accountId: doc.accountId, credentialId: doc._id, username: doc.username };
  }
}

function view(doc: BillbeeCredentialDoc): BillbeeCredentialView {
  return { id: doc._id, username: doc.username, createdAt: doc.createdAt.toISOString() };
}
