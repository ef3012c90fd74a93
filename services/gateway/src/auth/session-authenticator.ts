import { Inject, Injectable } from '@nestjs/common';
import { ProblemError, RpcMethods, type SessionCreatedSchema, type SignInSchema } from '@orderhub/contracts';
import { RpcClient, SERVICE_CONFIG } from '@orderhub/platform';
import type { z } from 'zod';
import type { GatewayConfig } from '../config';
import type { Caller } from './api-key-authenticator';

/**
 * Users' sessions, checked with the orders service on every request (not cached: a revoked session
 * ends at once on every replica). Throws ProblemError(503) when the orders service does not answer.
 */
@Injectable()
export class SessionAuthenticator {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  private get timeoutMs() {
    return Math.min(this.config.RPC_TIMEOUT_MS, 5_000);
  }

  async authenticate(token: string): Promise<Caller | undefined> {
    if (token.length > 200) return undefined;
    return this.refusedAsUndefined(async () => {
      const s = await this.rpc.invoke(RpcMethods.sessionsAuthenticate, { token }, this.timeoutMs);
      return { accountId: s.accountId, apiKeyId: `session:${s.sessionId}`, actor: `user:${s.username}`, sessionId: s.sessionId };
    });
  }

  /** A new session for a correct user name and password; undefined when either is wrong. */
  signIn(credentials: z.infer<typeof SignInSchema>): Promise<z.infer<typeof SessionCreatedSchema> | undefined> {
    return this.refusedAsUndefined(async () => {
      const { token, expiresAt, username } = await this.rpc.invoke(RpcMethods.sessionsCreate, credentials, this.timeoutMs);
      return { token, expiresAt, username };
    });
  }

  private async refusedAsUndefined<T>(run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof ProblemError) || err.problem.status >= 500) throw err;
      return undefined;
    }
  }
}
