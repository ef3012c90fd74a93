import { Module } from '@nestjs/common';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyRevocations } from './api-key-revocations';
import { ApiKeyGuard } from './api-key.guard';
import { RequestLimits } from './request-limits';
import { SessionAuthenticator } from './session-authenticator';

/** API keys and users' sessions: who calls (ApiKeyGuard via @ApiKeyAuth()), how much (RequestLimits), and which keys were revoked. */
@Module({
  providers: [ApiKeyAuthenticator, ApiKeyRevocations, SessionAuthenticator, RequestLimits, ApiKeyGuard],
  exports: [ApiKeyAuthenticator, SessionAuthenticator, RequestLimits, ApiKeyGuard],
})
export class AuthModule {}
