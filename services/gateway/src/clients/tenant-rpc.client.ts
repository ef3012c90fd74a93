import { Inject, Injectable } from '@nestjs/common';
import { RpcMethods, type RpcMethodName } from '@orderhub/contracts';
import { RpcClient, RpcTimeoutError, SERVICE_CONFIG } from '@orderhub/platform';
import type { z } from 'zod';
import type { Caller } from '../auth/api-key-authenticator';
import type { GatewayConfig } from '../config';
import { OutcomeUnknown } from '../http/outcome-unknown';

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

  /**
   * For a write, `resource` is where its result can be read (`/api/v1/orders/{id}`): when the answer
   * does not come in time the call ends in OutcomeUnknown (202 with that link) instead of a 503.
   */
  async call<K extends TenantMethod>(caller: Caller, name: K, body: RequestBody<K>, resource?: string): Promise<Reply<K>> {
    try {
      return await this.send(caller, name, body);
    } catch (err) {
      if (resource && err instanceof RpcTimeoutError) throw new OutcomeUnknown(resource);
      throw err;
    }
  }

  private send<K extends TenantMethod>(caller: Caller, name: K, body: RequestBody<K>): Promise<Reply<K>> {
    const method = RpcMethods[name] as Methods[K];
    return this.rpc.invoke(
      method,
      { accountId: caller.accountId, actor: caller.actor, body } as z.input<Methods[K]['request']>,
      this.config.RPC_TIMEOUT_MS,
    );
  }
}
