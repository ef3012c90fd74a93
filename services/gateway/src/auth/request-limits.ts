import { Inject, Injectable } from '@nestjs/common';
import { ProblemError } from '@orderhub/contracts';
import { SERVICE_CONFIG } from '@orderhub/platform';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { GatewayConfig } from '../config';
import { problems } from '../http/problem';

const retryAfter = (res: RateLimiterRes) => ({ 'Retry-After': String(Math.max(1, Math.ceil(res.msBeforeNext / 1000))) });

/** A 429 problem that carries its Retry-After header to the exception filter. */
export class RateLimited extends ProblemError {
  constructor(
    detail: string,
    readonly headers: Record<string, string>,
  ) {
    super(problems.rateLimited(detail));
  }
}

/**
 * The gateway's request budgets (per replica): requests per API key (RATE_LIMIT_PER_SECOND with
 * bursts of RATE_LIMIT_BURST), and failed authentications per client address and over all addresses,
 * so guessing keys neither floods the orders service nor gets far.
 */
@Injectable()
export class RequestLimits {
  private readonly perKey: RateLimiterMemory;
  private readonly failuresPerAddress: RateLimiterMemory;
  private readonly failuresGlobal: RateLimiterMemory;

  constructor(@Inject(SERVICE_CONFIG) config: GatewayConfig) {
    this.perKey = new RateLimiterMemory({
      points: config.RATE_LIMIT_BURST,
      duration: config.RATE_LIMIT_BURST / config.RATE_LIMIT_PER_SECOND,
    });
    this.failuresPerAddress = new RateLimiterMemory({ points: config.AUTH_FAILURES_PER_ADDRESS, duration: 60 });
    this.failuresGlobal = new RateLimiterMemory({ points: config.AUTH_FAILURES_GLOBAL, duration: 60 });
  }

  /** Takes one request of the key's budget (by key hash); throws RateLimited when it is spent. */
  async takeRequest(keyHash: string): Promise<void> {
    try {
      await this.perKey.consume(keyHash);
    } catch (res) {
      if (res instanceof RateLimiterRes)
        throw new RateLimited('The rate limit of this API key is exhausted; retry after the time in Retry-After', retryAfter(res));
      throw res;
    }
  }

  /** Before a key lookup: refuses an address (or everyone) that failed authentication too often. */
  async assertMayAuthenticate(address: string): Promise<void> {
    for (const [limiter, key] of [
      [this.failuresPerAddress, address],
      [this.failuresGlobal, 'all'],
    ] as const) {
      const state = await limiter.get(key);
      if (state && state.consumedPoints >= limiter.points) {
        throw new RateLimited('Too many failed authentications; retry after the time in Retry-After', retryAfter(state));
      }
    }
  }

  async recordFailure(address: string): Promise<void> {
    await Promise.all([this.failuresPerAddress.penalty(address, 1), this.failuresGlobal.penalty('all', 1)]);
  }
}
