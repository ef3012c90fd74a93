import { RpcRequests } from '@orderhub/contracts';
import type { z } from 'zod';
import type { RouteContext } from './route';

type RpcName = keyof typeof RpcRequests;

/**
 * Calls the orders service with `{ accountId, actor, body }`, checked against the contract's request
 * schema first, so the gateway can never send what the orders service would not accept.
 */
export async function callOrders<T, N extends RpcName = RpcName>(
  ctx: Pick<RouteContext<unknown, unknown, unknown>, 'caller' | 'rpc' | 'config'>,
  subject: string,
  name: N,
  body: z.input<(typeof RpcRequests)[N]>['body'],
): Promise<T> {
  const request = RpcRequests[name].parse({ accountId: ctx.caller.accountId, actor: ctx.caller.actor, body });
  return ctx.rpc.call<T>(subject, request, ctx.config.RPC_TIMEOUT_MS);
}
