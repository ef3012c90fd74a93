import { Body, Controller, Delete, Inject, Ip, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemError } from '@orderhub/contracts';
import type { Caller } from '../auth/api-key-authenticator';
import { ApiKeyAuth, CurrentCaller, Unauthorized } from '../auth/api-key.guard';
import { RequestLimits } from '../auth/request-limits';
import { SessionAuthenticator } from '../auth/session-authenticator';
import { TenantRpc } from '../clients/tenant-rpc.client';
import { Answers } from '../http/answers';
import { ApiProblems } from '../http/openapi';
import { problems } from '../http/problem';
import { SessionCreatedDto, SignInRequest } from './dto';

/** Sign-in with a user name and password for the web app: a session token with an expiry, ended by sign-out. */
@ApiTags('Users')
@Controller('api/v1/sessions')
export class SessionsController {
  constructor(
    @Inject(SessionAuthenticator) private readonly sessions: SessionAuthenticator,
    @Inject(RequestLimits) private readonly limits: RequestLimits,
    @Inject(TenantRpc) private readonly rpc: TenantRpc,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Sign in: user name and password → a session token (send it as `Authorization: Bearer <token>` until `expiresAt`)',
    description: 'No API key needed. Failed sign-ins count against the same per-address budget as unknown keys (429).',
  })
  @Answers(201, 'The session', SessionCreatedDto)
  @ApiProblems(401, 429)
  async signIn(@Body() body: SignInRequest, @Ip() address: string) {
    await this.limits.assertMayAuthenticate(address || 'unknown');
    const session = await this.sessions.signIn(body);
    if (!session) {
      await this.limits.recordFailure(address || 'unknown');
      throw new Unauthorized('Unknown user name or wrong password');
    }
    return session;
  }

  @Delete('current')
  @ApiKeyAuth()
  @ApiOperation({ summary: 'Sign out: ends the session the request came with' })
  @Answers(204, 'Signed out')
  @ApiProblems(400)
  async signOut(@CurrentCaller() caller: Caller): Promise<void> {
    if (!caller.sessionId)
      throw new ProblemError(problems.malformed('This request came with an API key, not a session; there is nothing to sign out of'));
    await this.rpc.call(caller, 'sessionsRevoke', { sessionId: caller.sessionId });
  }
}
