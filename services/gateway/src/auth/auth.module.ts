import { Module } from '@nestjs/common';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyGuard } from './api-key.guard';
import { RequestLimits } from './request-limits';

/** API keys: who calls (ApiKeyGuard via @ApiKeyAuth()), and how much (RequestLimits). */
@Module({ providers: [ApiKeyAuthenticator, RequestLimits, ApiKeyGuard], exports: [ApiKeyAuthenticator, RequestLimits, ApiKeyGuard] })
export class AuthModule {}
