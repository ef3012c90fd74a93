import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { z } from 'zod';
import {
  ProblemError,
  ProblemTypes,
  Rpc,
  RpcRequests,
  type RpcRequestOf,
  SessionsAuthenticateRequestSchema,
  SignInSchema,
} from '@orderhub/contracts';
import { UserRepository } from './user.repository';

const unauthorized = (detail: string) => new ProblemError({ type: ProblemTypes.unauthorized, title: 'Unauthorized', status: 401, detail });

/** Users of an account and their sign-in sessions (issue 18). */
@Controller()
export class UsersRpc {
  constructor(@Inject(UserRepository) private readonly users: UserRepository) {}

  @MessagePattern(Rpc.usersCreate, { schema: RpcRequests.usersCreate })
  create(@Payload() req: RpcRequestOf<'usersCreate'>) {
    return this.users.create(req.accountId, req.body.username, req.body.password);
  }

  @MessagePattern(Rpc.usersList, { schema: RpcRequests.usersList })
  list(@Payload() req: RpcRequestOf<'usersList'>) {
    return this.users.list(req.accountId);
  }

  @MessagePattern(Rpc.usersDelete, { schema: RpcRequests.usersDelete })
  async delete(@Payload() req: RpcRequestOf<'usersDelete'>) {
    if (!(await this.users.delete(req.accountId, req.body.userId))) throw ProblemError.notFound('user');
    return { deleted: true as const };
  }

  @MessagePattern(Rpc.sessionsCreate, { schema: SignInSchema })
  async signIn(@Payload() req: z.infer<typeof SignInSchema>) {
    const session = await this.users.signIn(req.username, req.password);
    if (!session) throw unauthorized('unknown user name or wrong password');
    return session;
  }

  @MessagePattern(Rpc.sessionsAuthenticate, { schema: SessionsAuthenticateRequestSchema })
  async authenticate(@Payload() req: z.infer<typeof SessionsAuthenticateRequestSchema>) {
    const session = await this.users.authenticate(req.token);
    if (!session) throw unauthorized('unknown, expired or revoked session');
    return session;
  }

  @MessagePattern(Rpc.sessionsRevoke, { schema: RpcRequests.sessionsRevoke })
  async revoke(@Payload() req: RpcRequestOf<'sessionsRevoke'>) {
    if (!(await this.users.revoke(req.accountId, req.body.sessionId))) throw ProblemError.notFound('session');
    return { revoked: true as const };
  }
}
