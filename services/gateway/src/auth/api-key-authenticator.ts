import { createHash } from 'node:crypto';
import { AccountsAuthenticateReplySchema, ProblemError, Rpc } from '@orderhub/contracts';
import type { RpcClient } from '@orderhub/platform';

export interface Caller {
  accountId: string;
  apiKeyId: string;
  /** How the orders service records who acted: `api-key:<apiKeyId>`. */
  actor: string;
}

const MAX_CACHED = 10_000;

/** The cache key: a hash, so no API key is ever held in memory longer than one request. */
export const keyHash = (apiKey: string) => createHash('sha256').update(apiKey).digest('hex');

/**
 * Checks API keys with the orders service (`Rpc.accountsAuthenticate`). Positive answers are
 * cached briefly by key hash; refusals are not cached, so a newly created key works at once.
 * Returns undefined for an unknown key; throws ProblemError(503) when the orders service is down.
 */
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, { caller: Caller; expiresAt: number }>();
  private readonly pending = new Map<string, Promise<Caller | undefined>>();

  constructor(
    private readonly rpc: RpcClient,
    private readonly ttlMs: number,
    private readonly timeoutMs: number,
  ) {}

  async authenticate(apiKey: string, hash = keyHash(apiKey)): Promise<Caller | undefined> {
    if (apiKey.length < 10 || apiKey.length > 200) return undefined;
    const hit = this.cache.get(hash);
    if (hit && hit.expiresAt > Date.now()) return hit.caller;
    if (hit) this.cache.delete(hash);
    // one lookup per key at a time: a burst of requests with a new key costs one RPC
    let lookup = this.pending.get(hash);
    if (!lookup) {
      lookup = this.lookup(apiKey, hash).finally(() => this.pending.delete(hash));
      this.pending.set(hash, lookup);
    }
    return lookup;
  }

  private async lookup(apiKey: string, hash: string): Promise<Caller | undefined> {
    let reply: unknown;
    try {
      reply = await this.rpc.call(Rpc.accountsAuthenticate, { apiKey }, this.timeoutMs);
    } catch (err) {
      if (err instanceof ProblemError && err.problem.status < 500) return undefined;
      throw err;
    }
    const parsed = AccountsAuthenticateReplySchema.safeParse(reply);
    if (!parsed.success) return undefined;
    const caller: Caller = { ...parsed.data, actor: `api-key:${parsed.data.apiKeyId}` };
    if (this.ttlMs > 0) {
      if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(hash, { caller, expiresAt: Date.now() + this.ttlMs });
    }
    return caller;
  }
}
