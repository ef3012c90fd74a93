import { createHash } from 'node:crypto';
import { handleWhen, type IPolicy, retry, wrap } from 'cockatiel';
import type { Logger } from 'pino';
import type { SharedCache } from '@orderhub/connector-kit';
import { bodyExcerpt, HttpStatusError, type OutboundHttp, type OutboundResponse, retryAfterBackoff } from '@orderhub/platform';
import type { OttoConnection } from '../connections/otto-connection';
import type {
  OttoOrder,
  OttoOrderPage,
  OttoProductVariation,
  OttoQuantityResult,
  OttoShipment,
  OttoShipmentRequest,
  OttoLink,
} from './otto-types';

/** The fixed client id of OTTO's legacy password grant (OTTO-1: API user + password). */
export const OTTO_CLIENT_ID = 'token-otto-api';

export interface OttoApiClientOptions {
  maxRateLimitWaits: number;
  /** Retries of idempotent reads on 5xx / network errors inside one call (writes are retried by JetStream). */
  readRetryDelaysMs?: number[];
  /** Longest single wait for a Retry-After; a longer one gives up and lets the caller retry later. */
  maxRetryAfterMs?: number;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

interface CallOptions {
  method?: 'GET' | 'POST';
  query?: Record<string, string | undefined>;
  body?: unknown;
}

/** Whether an error from a call is worth retrying later (remote down, limiting us, breaker open, network). */
export function isTransient(err: unknown): boolean {
  if (err instanceof HttpStatusError) return err.transient;
  return true;
}

const isRateLimit = (err: unknown): err is HttpStatusError => err instanceof HttpStatusError && err.status === 429;

/**
 * OTTO Market API per connection. Every call goes through OutboundHttp with target `otto:<connectionId>`
 * (one circuit breaker per seller). The access token (password grant) is cached in NATS KV so replicas
 * share it (OTTO's token endpoint is limited per IP); a 401 fetches a new one once; a 429 waits as long
 * as Retry-After says.
 */
export class OttoApiClient {
  private readonly memory = new Map<string, CachedToken>();
  private readonly fetching = new Map<string, Promise<string>>();
  /** A 429 waits as long as Retry-After says, unless that is longer than maxRetryAfterMs (then the caller retries later). */
  private readonly rateLimitRetry: IPolicy;
  /** Reads (idempotent) also retry 5xx and network errors a few times; writes are retried by JetStream. */
  private readonly readPolicy: IPolicy;

  constructor(
    private readonly http: OutboundHttp,
    private readonly tokens: SharedCache<CachedToken>,
    private readonly logger: Logger,
    private readonly options: OttoApiClientOptions,
  ) {
    const maxWait = options.maxRetryAfterMs ?? 30_000;
    const rateLimitRetry = retry(
      handleWhen((err) => isRateLimit(err) && (err.retryAfterMs ?? 1_000) <= maxWait),
      {
        maxAttempts: options.maxRateLimitWaits,
        backoff: retryAfterBackoff({ retryAfterMs: (err) => (isRateLimit(err) ? err.retryAfterMs : undefined), fallbackMs: () => 1_000 }),
      },
    );
    rateLimitRetry.onRetry(({ delay }) => this.logger.debug({ waitMs: delay }, 'OTTO rate limit, waiting for Retry-After'));
    const delays = options.readRetryDelaysMs ?? [300, 1_000];
    const transientRetry = retry(
      handleWhen((err) => isTransient(err) && !isRateLimit(err) && !isBreakerOpen(err)),
      {
        maxAttempts: delays.length,
        backoff: retryAfterBackoff({ retryAfterMs: () => undefined, fallbackMs: (attempt) => delays[attempt - 1] ?? 0 }),
      },
    );
    this.rateLimitRetry = rateLimitRetry;
    this.readPolicy = wrap(rateLimitRetry, transientRetry);
  }

  async listOrders(
    c: OttoConnection,
    query: { fromDate: string; limit: number } | { nextcursor: string; limit: number },
  ): Promise<OttoOrderPage> {
    const q: Record<string, string> =
      'nextcursor' in query
        ? { nextcursor: query.nextcursor, limit: String(query.limit) }
        : { fromDate: query.fromDate, orderDirection: 'ASC', limit: String(query.limit) };
    return this.json<OttoOrderPage>(c, 'GET /v4/orders', '/v4/orders', { query: q });
  }

  async getOrder(c: OttoConnection, salesOrderId: string): Promise<OttoOrder> {
    return this.json<OttoOrder>(c, 'GET /v4/orders/{id}', `/v4/orders/${encodeURIComponent(salesOrderId)}`);
  }

  async createShipment(c: OttoConnection, body: OttoShipmentRequest): Promise<{ shipmentId: string }> {
    return this.json(c, 'POST /v1/shipments', '/v1/shipments', { method: 'POST', body });
  }

  async shipmentByTrackingKey(c: OttoConnection, carrier: string, trackingNumber: string): Promise<OttoShipment> {
    const path = `/v1/shipments/carriers/${encodeURIComponent(carrier)}/trackingnumbers/${encodeURIComponent(trackingNumber)}`;
    return this.json(c, 'GET /v1/shipments/carriers/{carrier}/trackingnumbers/{tn}', path);
  }

  /** OTTO-8: only the whole-order endpoint; the connector never cancels single position items. */
  async cancelOrder(c: OttoConnection, salesOrderId: string): Promise<void> {
    await this.call(c, 'POST /v4/orders/{id}/cancellation', `/v4/orders/${encodeURIComponent(salesOrderId)}/cancellation`, {
      method: 'POST',
    });
  }

  async listProducts(
    c: OttoConnection,
    page: number,
    limit = 100,
  ): Promise<{ productVariations: OttoProductVariation[]; links?: OttoLink[] }> {
    return this.json(c, 'GET /v5/products', '/v5/products', { query: { page: String(page), limit: String(limit) } });
  }

  async listQuantities(
    c: OttoConnection,
    cursor?: string,
  ): Promise<{ resources: { variations: { sku: string; quantity: number }[] }; links?: OttoLink[] }> {
    return this.json(c, 'GET /v1/availability/quantities', '/v1/availability/quantities', { query: { limit: '200', cursor } });
  }

  /** OTTO-12: absolute quantities, 1–200 per call; 207 carries per-SKU errors. */
  async updateQuantities(c: OttoConnection, items: { sku: string; quantity: number }[]): Promise<OttoQuantityResult> {
    const res = await this.call(c, 'POST /v1/availability/quantities', '/v1/availability/quantities', { method: 'POST', body: items });
    const body = res.text ? (JSON.parse(res.text) as Partial<OttoQuantityResult>) : {};
    return { status: res.status, results: body.results ?? [], errors: body.errors ?? [] };
  }

  private async json<T>(c: OttoConnection, endpoint: string, path: string, options: CallOptions = {}): Promise<T> {
    const res = await this.call(c, endpoint, path, options);
    try {
      return JSON.parse(res.text) as T;
    } catch {
      // A truncated body is a remote hiccup, not our fault: worth retrying.
      throw new HttpStatusError(502, `unparsable JSON: ${bodyExcerpt(res.text, 100)}`, undefined, endpoint);
    }
  }

  private async call(c: OttoConnection, endpoint: string, path: string, options: CallOptions = {}): Promise<OutboundResponse> {
    const policy = (options.method ?? 'GET') === 'GET' ? this.readPolicy : this.rateLimitRetry;
    let refreshed = false;
    return policy.execute(async () => {
      try {
        return await this.send(c, endpoint, path, options, await this.token(c, false));
      } catch (err) {
        // A token OTTO no longer takes (expired early, password changed): fetch a new one, once per call.
        if (!(err instanceof HttpStatusError && err.status === 401) || refreshed) throw err;
        refreshed = true;
        await this.forget(c);
        return this.send(c, endpoint, path, options, await this.token(c, false));
      }
    });
  }

  private send(c: OttoConnection, endpoint: string, path: string, options: CallOptions, token: string): Promise<OutboundResponse> {
    const url = new URL(`${baseUrl(c)}${path}`);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json;charset=UTF-8';
    return this.http.request(`otto:${c.id}`, {
      endpoint,
      url: url.toString(),
      init: { method: options.method ?? 'GET', headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) },
    });
  }

  private async token(c: OttoConnection, force: boolean): Promise<string> {
    const key = tokenKey(c);
    const mem = this.memory.get(key);
    if (!force && mem && mem.expiresAt > Date.now()) return mem.token;
    const pending = this.fetching.get(key);
    if (pending) return pending;
    const work = (async () => {
      const shared = force ? undefined : await this.tokens.get(key);
      if (shared && shared.expiresAt > Date.now()) {
        this.memory.set(key, shared);
        return shared.token;
      }
      const fresh = await this.requestToken(c);
      this.memory.set(key, fresh);
      await this.tokens.put(key, fresh, fresh.expiresAt - Date.now());
      return fresh.token;
    })().finally(() => this.fetching.delete(key));
    this.fetching.set(key, work);
    return work;
  }

  /** After a 401: the cached token is dead for every replica, fetch a new one. */
  private async forget(c: OttoConnection): Promise<void> {
    this.memory.delete(tokenKey(c));
    await this.token(c, true);
  }

  private async requestToken(c: OttoConnection): Promise<CachedToken> {
    const body = new URLSearchParams({
      grant_type: 'password',
      client_id: OTTO_CLIENT_ID,
      username: c.secrets.username,
      password: c.secrets.password,
    });
    const res = await this.http.request(`otto:${c.id}`, {
      endpoint: 'POST /v1/token',
      url: `${baseUrl(c)}/v1/token`,
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: body.toString(),
      },
    });
    const parsed = JSON.parse(res.text) as { access_token?: string; expires_in?: number };
    if (!parsed.access_token) throw new HttpStatusError(502, 'token response without access_token', undefined, 'POST /v1/token');
    // Renew a minute early so a token never expires between the check and the call.
    const ttlMs = Math.max(5_000, ((parsed.expires_in ?? 1800) - 60) * 1000);
    return { token: parsed.access_token, expiresAt: Date.now() + ttlMs };
  }
}

function baseUrl(c: OttoConnection): string {
  return c.settings.apiBaseUrl.replace(/\/+$/, '');
}

/** Per connection and credentials: changed credentials must not reuse the old seller's token. */
function tokenKey(c: OttoConnection): string {
  const fingerprint = createHash('sha256')
    .update(`${baseUrl(c)}|${c.secrets.username}|${c.secrets.password}`)
    .digest('hex')
    .slice(0, 16);
  return `${c.id.replace(/[^A-Za-z0-9_-]/g, '_')}.${fingerprint}`;
}

export function isBreakerOpen(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'EOPENBREAKER';
}
