import { Inject, Injectable } from '@nestjs/common';
import { RpcMethods, type RpcMethodName } from '@orderhub/contracts';
import { RpcClient, SERVICE_CONFIG } from '@orderhub/platform';
import type { z } from 'zod';
import type { Caller } from '../auth/api-key-authenticator';
import type { GatewayConfig } from '../config';

type Methods = typeof RpcMethods;
/** The methods that act for a tenant: their request is `{ accountId, actor, body }`. */
export type TenantMethod = {
  [K in RpcMethodName]: z.input<Methods[K]['request']> extends { accountId: string; body: unknown } ? K : never;
}[RpcMethodName];
export type RequestBody<K extends TenantMethod> = z.input<Methods[K]['request']> extends { body: infer B } ? B : never;
export type Reply<K extends TenantMethod> = z.output<Methods[K]['reply']>;

/**
 * Calls an RPC method of the contracts (orders service, mail-ingest) for the authenticated caller:
 * the request is checked against its contract before it leaves, the reply parsed with its contract.
 */
@Injectable()
export class TenantRpc {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  call<K extends TenantMethod>(caller: Caller, name: K, body: RequestBody<K>): Promise<Reply<K>> {
    const method = RpcMethods[name] as Methods[K];
    return this.rpc.invoke(
      method,
      { accountId: caller.accountId, actor: caller.actor, body } as z.input<Methods[K]['request']>,
      this.config.RPC_TIMEOUT_MS,
    );
  }
}
