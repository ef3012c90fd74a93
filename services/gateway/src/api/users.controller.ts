import { Body, Controller, Delete, Get, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemError } from '@orderhub/contracts';
import type { Response } from 'express';
import type { Caller } from '../auth/api-key-authenticator';
import { ApiKeyAuth, CurrentCaller } from '../auth/api-key.guard';
import { TenantRpc } from '../clients/tenant-rpc.client';
import { Answers } from '../http/answers';
import { ApiProblems } from '../http/openapi';
import { problems } from '../http/problem';
import { CreateUserRequest, IdParams, UserDto, UserListDto } from './dto';

/** A signed-in user cannot make more users or remove others: that takes the account's API key. */
function assertAccountKey(caller: Caller): void {
  if (caller.sessionId) throw new ProblemError(problems.forbidden("Users are managed with the account's API key, not a user's session"));
}

/** The account's users for the web app's sign-in (passwords stored as scrypt hashes); API keys stay for machines. */
@ApiTags('Users')
@ApiKeyAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(@Inject(TenantRpc) private readonly rpc: TenantRpc) {}

  @Post()
  @ApiOperation({ summary: "Create a user of the account (with the account's API key); the password is never returned" })
  @Answers(201, 'The user; `Location` points at it', UserDto)
  @ApiProblems(403, 409)
  async createUser(@CurrentCaller() caller: Caller, @Body() body: CreateUserRequest, @Res({ passthrough: true }) res: Response) {
    assertAccountKey(caller);
    const user = await this.rpc.call(caller, 'usersCreate', body);
    res.location(`/api/v1/users/${user.id}`);
    return user;
  }

  @Get()
  @ApiOperation({ summary: 'The users of the account' })
  @Answers(200, 'The users', UserListDto)
  async listUsers(@CurrentCaller() caller: Caller) {
    return { items: await this.rpc.call(caller, 'usersList', {}) };
  }

  @Delete(':id')
  @ApiOperation({ summary: "Delete a user (with the account's API key); its sessions end at once" })
  @Answers(204, 'Deleted')
  @ApiProblems(403, 404)
  async deleteUser(@CurrentCaller() caller: Caller, @Param() { id }: IdParams): Promise<void> {
    assertAccountKey(caller);
    await this.rpc.call(caller, 'usersDelete', { userId: id });
  }
}
