import { Body, Controller, Delete, Get, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Caller } from '../auth/api-key-authenticator';
import { ApiKeyAuth, CurrentCaller } from '../auth/api-key.guard';
import { TenantRpc } from '../clients/tenant-rpc.client';
import { Answers } from '../http/answers';
import { ApiProblems } from '../http/openapi';
import { ApiKeyCreatedDto, ApiKeyListDto, ApiKeyRevokedDto, CreateApiKeyRequest, IdParams } from './dto';

/**
 * The account's native API keys (issue 16). A revoked key is refused by every gateway replica at
 * once: the orders service announces the revocation and each replica drops the key from its cache.
 */
@ApiTags('API keys')
@ApiKeyAuth()
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(@Inject(TenantRpc) private readonly rpc: TenantRpc) {}

  @Get()
  @ApiOperation({ summary: "The account's API keys: id, name and creation time, never the secret" })
  @Answers(200, 'The keys', ApiKeyListDto)
  async listApiKeys(@CurrentCaller() caller: Caller) {
    return { items: await this.rpc.call(caller, 'apiKeysList', {}) };
  }

  @Post()
  @ApiOperation({ summary: 'Create an API key; its secret (`apiKey`) is shown only in this answer and stored hashed' })
  @Answers(201, 'The key with its secret', ApiKeyCreatedDto)
  @ApiProblems(409)
  async createApiKey(@CurrentCaller() caller: Caller, @Body() body: CreateApiKeyRequest, @Res({ passthrough: true }) res: Response) {
    const created = await this.rpc.call(caller, 'apiKeysCreate', body);
    res.location('/api/v1/api-keys');
    return created;
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke an API key: every request with it is refused from now on, on every replica' })
  @Answers(200, 'Revoked', ApiKeyRevokedDto)
  @ApiProblems(404, 409)
  revokeApiKey(@CurrentCaller() caller: Caller, @Param() { id }: IdParams) {
    return this.rpc.call(caller, 'apiKeysRevoke', { apiKeyId: id });
  }
}
