import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { z } from 'zod';
import {
  type AccountCreated,
  AccountsAuthenticateRequestSchema,
  AccountsCreateRequestSchema,
  ProblemError,
  ProblemTypes,
  Rpc,
} from '@orderhub/contracts';
import { AccountRepository } from './account.repository';

@Controller()
export class AccountsRpc {
  constructor(@Inject(AccountRepository) private readonly accounts: AccountRepository) {}

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
}
