import { Module } from '@nestjs/common';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyRevocations } from './api-key-revocations';
import { ApiKeyGuard } from './api-key.guard';
import { RequestLimits } from './request-limits';

/** API keys: who calls (ApiKeyGuard via @ApiKeyAuth()), how much (RequestLimits), and which were revoked. */
@Module({
  providers: [ApiKeyAuthenticator, ApiKeyRevocations, RequestLimits, ApiKeyGuard],
  exports: [ApiKeyAuthenticator, RequestLimits, ApiKeyGuard],
})
export class AuthModule {}
