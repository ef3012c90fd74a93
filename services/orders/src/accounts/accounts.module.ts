import { Module } from '@nestjs/common';
import { AccountsRpc } from './accounts.rpc';

/** Accounts and API keys (hashed); the gateway authenticates every request here. */
@Module({ controllers: [AccountsRpc] })
export class AccountsModule {}
