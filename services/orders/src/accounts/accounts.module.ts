import { Module } from '@nestjs/common';
import { AccountsRpc } from './accounts.rpc';
import { UsersRpc } from './users.rpc';

/** Accounts, API keys and users with sessions (all hashed); the gateway authenticates every request here. */
@Module({ controllers: [AccountsRpc, UsersRpc] })
export class AccountsModule {}
