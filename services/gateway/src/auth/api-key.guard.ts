import {
  applyDecorators,
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Inject,
  Injectable,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ProblemError, SESSION_TOKEN_PREFIX } from '@orderhub/contracts';
import { enrichContext } from '@orderhub/platform';
import type { Request } from 'express';
import { problems } from '../http/problem';
import { ApiKeyAuthenticator, type Caller, keyHash } from './api-key-authenticator';
import { RequestLimits } from './request-limits';
import { SessionAuthenticator } from './session-authenticator';

/** The name of the security scheme in the OpenAPI document. */
export const API_KEY_SCHEME = 'apiKey';

type AuthenticatedRequest = Request & { caller?: Caller };

/** A 401 with the challenge header, as the filter sends it. */
export class Unauthorized extends ProblemError {
  readonly headers = { 'WWW-Authenticate': 'Bearer realm="orderhub"' };

  constructor(detail: string) {
    super(problems.unauthorized(detail));
  }
}

/**
 * `Authorization: Bearer <key or session token>` → its request budget → (a lookup is needed:) the address's
 * failed-authentication budget → the key check. Sets `request.caller` for @CurrentCaller().
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(ApiKeyAuthenticator) private readonly authenticator: ApiKeyAuthenticator,
    @Inject(RequestLimits) private readonly limits: RequestLimits,
    @Inject(SessionAuthenticator) private readonly sessions: SessionAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.header('authorization') ?? '');
    if (!bearer) throw new Unauthorized('Send the API key as `Authorization: Bearer <key>`');
    const apiKey = bearer[1] as string;
    const hash = keyHash(apiKey);
    await this.limits.takeRequest(hash);
    const address = req.ip ?? 'unknown';
    if (apiKey.startsWith(SESSION_TOKEN_PREFIX)) {
      await this.limits.assertMayAuthenticate(address);
      const caller = await this.sessions.authenticate(apiKey);
      if (!caller) {
        await this.limits.recordFailure(address);
        throw new Unauthorized('The session is unknown, expired or ended; sign in again');
      }
      return this.admit(req, caller);
    }
    if (!this.authenticator.cached(hash)) await this.limits.assertMayAuthenticate(address);
    const result = await this.authenticator.authenticate(apiKey, hash);
    if (!('caller' in result)) {
      await this.limits.recordFailure(address);
      throw new Unauthorized('The API key is unknown or revoked');
    }
    return this.admit(req, result.caller);
  }

  private admit(req: AuthenticatedRequest, caller: Caller): true {
    req.caller = caller;
    enrichContext({ accountId: caller.accountId });
    return true;
  }
}

/** Every route of a controller (or one route) needs an API key; the document says so. */
export const ApiKeyAuth = () => applyDecorators(UseGuards(ApiKeyGuard), ApiBearerAuth(API_KEY_SCHEME));

/** The authenticated caller of the request (set by ApiKeyGuard). */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<AuthenticatedRequest>().caller;
  if (!caller) throw new Unauthorized('Send the API key as `Authorization: Bearer <key>`');
  return caller;
});
