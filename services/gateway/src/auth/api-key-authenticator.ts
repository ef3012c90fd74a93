import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ProblemError, RpcMethods } from '@orderhub/contracts';
import { RpcClient, SERVICE_CONFIG } from '@orderhub/platform';
import type { GatewayConfig } from '../config';

export interface Caller {
  accountId: string;
  apiKeyId: string;
  /** How the orders service records who acted: `api-key:<apiKeyId>`, `user:<username>` for a signed-in user. */
  actor: string;
  /** Set when the request came with a user's session token instead of the account's key. */
  sessionId?: string;
}

const MAX_CACHED = 10_000;

/** The cache key: a hash, so no API key is ever held in memory longer than one request. */
export const keyHash = (apiKey: string) => createHash('sha256').update(apiKey).digest('hex');

/** A bounded map whose entries expire: the oldest entry makes room for a new one. */
class ExpiringCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(private readonly ttlMs: number) {}

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt > Date.now()) return hit.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: V): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= MAX_CACHED) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, expiresAt: Date.now() + this.ttlMs });
  }

  deleteWhere(predicate: (value: V) => boolean): void {
    for (const [key, entry] of this.entries) if (predicate(entry.value)) this.entries.delete(key);
  }
}

export type Authentication = { caller: Caller } | { unknown: true; cached: boolean };

/**
 * Checks API keys with the orders service (`accountsAuthenticate`). Known keys are cached for
 * AUTH_CACHE_TTL_MS, unknown ones for AUTH_NEGATIVE_CACHE_MS, both by key hash. Throws
 * ProblemError(503) when the orders service does not answer.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly known: ExpiringCache<Caller>;
  private readonly unknown: ExpiringCache<true>;
  private readonly pending = new Map<string, Promise<Authentication>>();
  private readonly revoked: ExpiringCache<true>;

  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.known = new ExpiringCache(config.AUTH_CACHE_TTL_MS);
    this.unknown = new ExpiringCache(config.AUTH_NEGATIVE_CACHE_MS);
    this.revoked = new ExpiringCache(Math.max(config.AUTH_CACHE_TTL_MS, 60_000));
  }

  /** A cached answer, without asking the orders service. */
  cached(hash: string): Authentication | undefined {
    const caller = this.known.get(hash);
    if (caller) return { caller };
    return this.unknown.get(hash) ? { unknown: true, cached: true } : undefined;
  }

  async authenticate(apiKey: string, hash = keyHash(apiKey)): Promise<Authentication> {
    if (apiKey.length < 10 || apiKey.length > 200) return { unknown: true, cached: true };
    const hit = this.cached(hash);
    if (hit) return hit;
    // one lookup per key at a time: a burst of requests with a new key costs one RPC
    let lookup = this.pending.get(hash);
    if (!lookup) {
      lookup = this.lookup(apiKey, hash).finally(() => this.pending.delete(hash));
      this.pending.set(hash, lookup);
    }
    return lookup;
  }

  /** Forgets a key at once (it was revoked): the next request with it asks the orders service. */
  forgetKey(apiKeyId: string): void {
    this.known.deleteWhere((caller) => caller.apiKeyId === apiKeyId);
    // a lookup answered before the revocation was stored must not put the key back
    this.revoked.set(apiKeyId, true);
  }

  private async lookup(apiKey: string, hash: string): Promise<Authentication> {
    try {
      const found = await this.rpc.invoke(RpcMethods.accountsAuthenticate, { apiKey }, Math.min(this.config.RPC_TIMEOUT_MS, 5_000));
      const caller: Caller = { ...found, actor: `api-key:${found.apiKeyId}` };
      if (this.revoked.get(found.apiKeyId)) return { unknown: true, cached: false };
      this.known.set(hash, caller);
      return { caller };
    } catch (err) {
      if (!(err instanceof ProblemError) || err.problem.status >= 500) throw err;
      this.unknown.set(hash, true);
      return { unknown: true, cached: false };
    }
  }
}
