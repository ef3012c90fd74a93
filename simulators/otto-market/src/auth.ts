import { randomUUID } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { TokenBucketLimiter } from '@orderhub/sim-kit';
import { sendError } from './errors';
import type { OttoStore, SellerAccount } from './store';

/** The fixed client id of OTTO's legacy password grant. */
export const LEGACY_CLIENT_ID = 'token-otto-api';
export const OTTO_SCOPES = [
  'products',
  'orders',
  'receipts',
  'returns',
  'price-reduction',
  'shipments',
  'shipping-profiles',
  'availability',
] as const;
export type OttoScope = (typeof OTTO_SCOPES)[number];

export interface AuthOptions {
  /** Access token lifetime; OTTO uses 1800 s. */
  tokenTtlSeconds: number;
  /** Refresh token lifetime of the password grant; OTTO uses 7200 s. */
  refreshTtlSeconds: number;
  /** Requests per second per access token; OTTO's guide: 20 per partner. */
  rateLimitPerSecond: number;
}

interface IssuedToken {
  partnerId: string;
  scopes: ReadonlySet<string>;
  expiresAt: number;
}

export class TokenIssuer {
  private readonly accessTokens = new Map<string, IssuedToken>();
  private readonly refreshTokens = new Map<string, IssuedToken>();
  private limiter: TokenBucketLimiter;

  constructor(
    private readonly store: OttoStore,
    readonly options: AuthOptions,
  ) {
    this.limiter = this.newLimiter();
  }

  issue(seller: SellerAccount, scopes: ReadonlySet<string>, withRefresh: boolean): Record<string, unknown> {
    const now = this.store.now();
    const { tokenTtlSeconds, refreshTtlSeconds } = this.options;
    const accessToken = fakeJwt({
      partner_id: seller.partnerId,
      scope: [...scopes].join(' '),
      iat: Math.floor(now / 1000),
      exp: Math.floor(now / 1000) + tokenTtlSeconds,
    });
    this.accessTokens.set(accessToken, { partnerId: seller.partnerId, scopes, expiresAt: now + tokenTtlSeconds * 1000 });
    const body: Record<string, unknown> = {
      access_token: accessToken,
      expires_in: tokenTtlSeconds,
      token_type: 'bearer',
      scope: [...scopes].join(' '),
    };
    if (withRefresh) {
      const refreshToken = fakeJwt({ partner_id: seller.partnerId, typ: 'Refresh', exp: Math.floor(now / 1000) + refreshTtlSeconds });
      this.refreshTokens.set(refreshToken, { partnerId: seller.partnerId, scopes, expiresAt: now + refreshTtlSeconds * 1000 });
      Object.assign(body, {
        refresh_token: refreshToken,
        refresh_expires_in: refreshTtlSeconds,
        session_state: randomUUID(),
        'not-before-policy': 0,
      });
    }
    return body;
  }

  /** A refresh token is single use (Keycloak rotates it). */
  redeemRefresh(refreshToken: string): IssuedToken | undefined {
    const issued = this.refreshTokens.get(refreshToken);
    this.refreshTokens.delete(refreshToken);
    return issued && issued.expiresAt > this.store.now() ? issued : undefined;
  }

  verify(accessToken: string): IssuedToken | undefined {
    const issued = this.accessTokens.get(accessToken);
    return issued && issued.expiresAt > this.store.now() ? issued : undefined;
  }

  /** Admin: lets connector tests see a 401 on a token they cached, without waiting 30 minutes. */
  expireAll(): number {
    const count = this.accessTokens.size;
    this.accessTokens.clear();
    return count;
  }

  /** 0 when the request may pass, otherwise milliseconds until it would. */
  throttle(accessToken: string): number {
    return this.limiter.take(accessToken);
  }

  reset(): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.limiter = this.newLimiter();
  }

  private newLimiter(): TokenBucketLimiter {
    return new TokenBucketLimiter(this.options.rateLimitPerSecond, this.options.rateLimitPerSecond, this.store.now);
  }
}

/**
 * `POST /v1/token`, form-encoded. OTTO's token endpoint is a Keycloak realm behind the API host, so its
 * errors are plain OAuth2 (`{error, error_description}`), not OTTO's `{errors:[…]}` envelope.
 */
export function tokenRouter(store: OttoStore, issuer: TokenIssuer): Router {
  const router = Router();
  router.post('/v1/token', express.urlencoded({ extended: false }), (req, res) => {
    const form = (req.body ?? {}) as Record<string, string | undefined>;
    const oauthError = (status: number, error: string, description: string) =>
      res.status(status).json({ error, error_description: description });
    switch (form.grant_type) {
      case 'password': {
        if (form.client_id !== LEGACY_CLIENT_ID) return oauthError(401, 'invalid_client', 'Invalid client or Invalid client credentials');
        const seller = [...store.sellers.values()].find((s) => s.username === form.username);
        if (!seller || seller.password !== form.password) return oauthError(401, 'invalid_grant', 'Invalid user credentials');
        return res.json(issuer.issue(seller, new Set(OTTO_SCOPES), true));
      }
      case 'client_credentials': {
        const { clientId, clientSecret } = clientCredentials(req, form);
        const seller = [...store.sellers.values()].find((s) => s.clientId === clientId);
        if (!seller) return oauthError(401, 'invalid_client', 'Invalid client or Invalid client credentials');
        if (seller.clientSecret !== clientSecret)
          return oauthError(401, 'unauthorized_client', 'Invalid client or Invalid client credentials');
        const requested = (form.scope ?? '').split(' ').filter(Boolean);
        const unknown = requested.filter((s) => !(OTTO_SCOPES as readonly string[]).includes(s));
        if (unknown.length > 0) return oauthError(400, 'invalid_scope', `Invalid scopes: ${unknown.join(' ')}`);
        // Self-apps get the scopes they ask for; none asked means all the app was granted.
        return res.json(issuer.issue(seller, new Set(requested.length > 0 ? requested : OTTO_SCOPES), false));
      }
      case 'refresh_token': {
        const issued = form.refresh_token ? issuer.redeemRefresh(form.refresh_token) : undefined;
        const seller = issued ? store.sellers.get(issued.partnerId) : undefined;
        if (!issued || !seller) return oauthError(400, 'invalid_grant', 'Token is not active');
        return res.json(issuer.issue(seller, issued.scopes, true));
      }
      case undefined:
        return oauthError(400, 'invalid_request', 'Missing form parameter: grant_type');
      default:
        return oauthError(400, 'unsupported_grant_type', 'Unsupported grant_type');
    }
  });
  return router;
}

/** Client id/secret come either in the form or as HTTP Basic; public clients use both. */
function clientCredentials(req: Request, form: Record<string, string | undefined>): { clientId?: string; clientSecret?: string } {
  const header = req.get('authorization');
  if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  return { clientId: form.client_id, clientSecret: form.client_secret };
}

/** Bearer check, scope check and the per-token rate limit in front of every OTTO API route. */
export function requireBearer(issuer: TokenIssuer, scope: OttoScope): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    const issued = token ? issuer.verify(token) : undefined;
    if (!token || !issued) {
      res.setHeader('WWW-Authenticate', `Bearer realm="otto-partner", error="invalid_token"`);
      return sendError(
        res,
        401,
        req.path,
        'UNAUTHORIZED',
        token ? 'The access token is invalid or expired' : 'Full authentication is required to access this resource',
      );
    }
    if (!issued.scopes.has(scope))
      return sendError(res, 403, req.path, 'INSUFFICIENT_PERMISSION', `The access token lacks the scope '${scope}'`);
    const waitMs = issuer.throttle(token);
    if (waitMs > 0) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
      return sendError(
        res,
        429,
        req.path,
        'TOO_MANY_REQUESTS',
        `Rate limit of ${issuer.options.rateLimitPerSecond} requests per second exceeded`,
      );
    }
    res.locals.partnerId = issued.partnerId;
    next();
  };
}

export function partnerOf(res: Response): string {
  return res.locals.partnerId as string;
}

/** OTTO hands out JWTs that some clients decode (partner_id, exp); the signature here is random. */
function fakeJwt(payload: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'RS256', typ: 'JWT', kid: 'otto-market-simulator' })}.${encode({ jti: randomUUID(), ...payload })}.${Buffer.from(randomUUID()).toString('base64url')}`;
}
