import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { mongo } from 'mongoose';
import { ProblemError, SESSION_TOKEN_PREFIX, type User } from '@orderhub/contracts';
import { hashPassword, UNKNOWN_USER_HASH, verifyPassword } from './password';

export interface UserDoc {
  _id: string;
  accountId: string;
  username: string;
  passwordHash: string;
  createdAt: string;
}

export interface SessionDoc {
  _id: string;
  /** sha256 of the token (hex); the token itself goes to the browser once and is never stored. */
  tokenHash: string;
  accountId: string;
  userId: string;
  username: string;
  expiresAt: string;
  createdAt: string;
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
const view = (doc: UserDoc): User => ({ id: doc._id, username: doc.username, createdAt: doc.createdAt });

/** Users of an account (web sign-in) and their sessions. API keys stay on the account for machines. */
export class UserRepository {
  constructor(
    private readonly users: mongo.Collection<UserDoc>,
    private readonly sessions: mongo.Collection<SessionDoc>,
    private readonly sessionTtlMs: number,
  ) {}

  async create(accountId: string, username: string, password: string): Promise<User> {
    const doc: UserDoc = {
      _id: randomUUID(),
      accountId,
      username,
      passwordHash: await hashPassword(password),
      createdAt: new Date().toISOString(),
    };
    try {
      await this.users.insertOne(doc);
    } catch (err) {
      if ((err as { code?: number }).code === 11000) throw ProblemError.conflict(`The user name ${username} is taken`);
      throw err;
    }
    return view(doc);
  }

  async list(accountId: string): Promise<User[]> {
    return (await this.users.find({ accountId }, { sort: { username: 1 } }).toArray()).map(view);
  }

  /** Deletes the user and ends every session of it. */
  async delete(accountId: string, userId: string): Promise<boolean> {
    const { deletedCount } = await this.users.deleteOne({ _id: userId, accountId });
    if (!deletedCount) return false;
    await this.sessions.deleteMany({ userId, accountId });
    return true;
  }

  /** A new session for a correct user name and password; undefined otherwise (either wrong: the same answer and time). */
  async signIn(username: string, password: string) {
    const user = await this.users.findOne({ username });
    const ok = await verifyPassword(password, user?.passwordHash ?? UNKNOWN_USER_HASH);
    if (!user || !ok) return undefined;
    const token = `${SESSION_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const now = Date.now();
    const session: SessionDoc = {
      _id: randomUUID(),
      tokenHash: tokenHash(token),
      accountId: user.accountId,
      userId: user._id,
      username: user.username,
      expiresAt: new Date(now + this.sessionTtlMs).toISOString(),
      createdAt: new Date(now).toISOString(),
    };
    await this.sessions.insertOne(session);
    return { token, expiresAt: session.expiresAt, username: user.username, accountId: user.accountId, sessionId: session._id };
  }

  async authenticate(token: string) {
    const session = await this.sessions.findOne({ tokenHash: tokenHash(token) });
    if (!session) return undefined;
    if (Date.parse(session.expiresAt) <= Date.now()) {
      await this.sessions.deleteOne({ _id: session._id });
      return undefined;
    }
    return { accountId: session.accountId, sessionId: session._id, username: session.username, expiresAt: session.expiresAt };
  }

  async revoke(accountId: string, sessionId: string): Promise<boolean> {
    return (await this.sessions.deleteOne({ _id: sessionId, accountId })).deletedCount > 0;
  }
}
