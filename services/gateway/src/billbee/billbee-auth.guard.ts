import { createHash } from 'node:crypto';
import { type CanActivate, createParamDecorator, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ProblemError, ProblemTypes, RpcMethods } from '@orderhub/contracts';
import { enrichContext, RpcClient } from '@orderhub/platform';
import type { Request } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Caller } from '../auth/api-key-authenticator';
import { RequestLimits } from '../auth/request-limits';
import { BILLBEE_CONFIG, type BillbeeConfig } from './billbee-config';

type BillbeeRequest = Request & { billbeeCaller?: Caller };

const unauthorized = (detail: string) => new ProblemError({ type: ProblemTypes.unauthorized, title: 'Unauthorized', status: 401, detail });

class Throttled extends ProblemError {
  constructor(readonly headers: Record<string, string>) {
    super({ type: ProblemTypes.rateLimited, title: 'Too many requests', status: 429, detail: 'Request limit of this endpoint exceeded' });
  }
}

/** `Authorization: Basic base64(user:password)`; the password may contain `:`. */
function basicCredentials(header: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Billbee's authentication: `X-Billbee-Api-Key` and HTTP Basic (user + API password) on every
 * request, checked by the orders service (hashes only); then the per-endpoint request budget of
 * that login (429 with Retry-After). Failed logins count against the gateway's address budget.
 */
@Injectable()
export class BillbeeAuthGuard implements CanActivate {
  private readonly perEndpoint: RateLimiterMemory;
  private readonly logins = new Map<string, { caller: Caller; expiresAt: number }>();

  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(RequestLimits) private readonly limits: RequestLimits,
    @Inject(BILLBEE_CONFIG) private readonly config: BillbeeConfig,
  ) {
    this.perEndpoint = new RateLimiterMemory({
      points: config.BILLBEE_RATE_LIMIT_BURST,
      duration: config.BILLBEE_RATE_LIMIT_BURST / config.BILLBEE_RATE_LIMIT_PER_SECOND,
    });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<BillbeeRequest>();
    const apiKey = req.header('x-billbee-api-key')?.trim();
    const basic = basicCredentials(req.header('authorization'));
    if (!apiKey || !basic) throw unauthorized('Send X-Billbee-Api-Key and HTTP Basic authentication (user and API password)');
    const loginHash = createHash('sha256').update(`${apiKey}\n${basic.username}\n${basic.password}`).digest('hex');
    const caller = await this.login(loginHash, apiKey, basic, req.ip ?? 'unknown');
    try {
      await this.perEndpoint.consume(`${loginHash}:${context.getClass().name}.${context.getHandler().name}`);
    } catch (res) {
      if (res instanceof RateLimiterRes) throw new Throttled({ 'Retry-After': String(Math.max(1, Math.ceil(res.msBeforeNext / 1000))) });
      throw res;
    }
    req.billbeeCaller = caller;
    enrichContext({ accountId: caller.accountId });
    return true;
  }

  private async login(hash: string, apiKey: string, basic: { username: string; password: string }, address: string): Promise<Caller> {
    const cached = this.logins.get(hash);
    if (cached && cached.expiresAt > Date.now()) return cached.caller;
    await this.limits.assertMayAuthenticate(address);
    let reply: { accountId: string; credentialId: string; username: string };
    try {
      reply = await this.rpc.invoke(RpcMethods.billbeeAuthenticate, { apiKey, ...basic });
    } catch (err) {
      if (err instanceof ProblemError && err.problem.status === 401) {
        await this.limits.recordFailure(address);
        throw unauthorized('Wrong API key, user or API password');
      }
      throw err;
    }
    const caller: Caller = { accountId: reply.accountId, apiKeyId: `billbee:${reply.credentialId}`, actor: `billbee:${reply.username}` };
    if (this.config.BILLBEE_AUTH_CACHE_MS > 0) {
      if (this.logins.size >= 10_000) this.logins.delete(this.logins.keys().next().value as string);
      this.logins.set(hash, { caller, expiresAt: Date.now() + this.config.BILLBEE_AUTH_CACHE_MS });
    }
    return caller;
  }
}

/** The Billbee login of the request (set by BillbeeAuthGuard). */
export const BillbeeCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<BillbeeRequest>().billbeeCaller;
  if (!caller) throw unauthorized('Send X-Billbee-Api-Key and HTTP Basic authentication');
  return caller;
});
