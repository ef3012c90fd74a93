import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { z } from 'zod';
import {
  type AccountCreated,
  AccountsAuthenticateRequestSchema,
  AccountsCreateRequestSchema,
  type ApiKeyRevokedNotice,
  type ApiKeyRpcRequestOf,
  ApiKeyRpcRequests,
  Notices,
  ProblemError,
  ProblemTypes,
  Rpc,
} from '@orderhub/contracts';
import { NatsClient } from '@orderhub/platform';
import { AccountRepository } from './account.repository';

@Controller()
export class AccountsRpc {
  constructor(
    @Inject(AccountRepository) private readonly accounts: AccountRepository,
    @Inject(NatsClient) private readonly nats: NatsClient,
  ) {}

  @MessagePattern(Rpc.accountsCreate, { schema: AccountsCreateRequestSchema })
  create(@Payload() req: z.infer<typeof AccountsCreateRequestSchema>): Promise<AccountCreated> {
    return this.accounts.create(req.name);
  }

  @MessagePattern(Rpc.accountsAuthenticate, { schema: AccountsAuthenticateRequestSchema })
  async authenticate(@Payload() req: z.infer<typeof AccountsAuthenticateRequestSchema>) {
    const found = await this.accounts.authenticate(req.apiKey);
    if (!found) throw new ProblemError({ type: ProblemTypes.unauthorized, title: 'Unauthorized', status: 401, detail: 'unknown API key' });
    return found;
  }

  @MessagePattern(Rpc.apiKeysCreate, { schema: ApiKeyRpcRequests.create })
  createKey(@Payload() req: ApiKeyRpcRequestOf<'create'>) {
    return this.accounts.createKey(req.accountId, req.body.name);
  }

  @MessagePattern(Rpc.apiKeysList, { schema: ApiKeyRpcRequests.list })
  listKeys(@Payload() req: ApiKeyRpcRequestOf<'list'>) {
    return this.accounts.listKeys(req.accountId);
  }

  /** Stored first, then announced: every gateway replica drops the key from its cache (core NATS, no queue group). */
  @MessagePattern(Rpc.apiKeysRevoke, { schema: ApiKeyRpcRequests.revoke })
  async revokeKey(@Payload() req: ApiKeyRpcRequestOf<'revoke'>): Promise<{ revoked: true }> {
    await this.accounts.revokeKey(req.accountId, req.body.apiKeyId);
    const notice: ApiKeyRevokedNotice = { accountId: req.accountId, apiKeyId: req.body.apiKeyId };
    this.nats.nc.publish(this.nats.names.subject(Notices.apiKeyRevoked), JSON.stringify(notice));
    // the notice must have left before the caller hears "revoked" and tries the key on another replica
    await this.nats.nc.flush();
    return { revoked: true };
  }
}
