import { headers as natsHeaders } from '@nats-io/nats-core';
import {
  type ConnectionView,
  ConnectionTypeSchema,
  ConnectionViewSchema,
  CreateConnectionSchema,
  ProblemError,
  type RpcReply,
  ConnectorTriggers,
  Rpc,
  UpdateConnectionSchema,
} from '@orderhub/contracts';
import { CORRELATION_HEADER, currentContext } from '@orderhub/platform';
import { z } from 'zod';
import { problems } from '../http/problem';
import { IdParams, defineRoute, named, type RouteContext } from './route';
import { callOrders } from './rpc-call';

/**
 * Secrets are write-only: the orders service answers with `secretsSet` only, and the gateway drops
 * any secret-bearing field again, so a mistake behind it can never leak credentials to a client.
 */
function publicView(view: unknown): unknown {
  if (!view || typeof view !== 'object') return view;
  const { secrets: _secrets, encryptedSecrets: _encrypted, ...rest } = view as Record<string, unknown>;
  return rest;
}

const ConnectionList = named('ConnectionList', z.object({ items: z.array(ConnectionViewSchema) }));
const Connection = named('Connection', ConnectionViewSchema);

const listConnections = defineRoute({
  operationId: 'listConnections',
  method: 'GET',
  path: '/connections',
  tag: 'Connections',
  summary: 'List the channel and fulfilment connections of the account',
  query: z.object({ type: ConnectionTypeSchema.optional().describe('Only connections of this type') }),
  response: { status: 200, description: 'The connections', schema: ConnectionList },
  problems: [],
  async handle(ctx) {
    const result = await callOrders<ConnectionView[] | { items: ConnectionView[] }>(ctx, Rpc.connectionsList, 'connectionsList', {
      type: ctx.query.type,
    });
    const items = Array.isArray(result) ? result : result.items;
    return { body: { items: items.map(publicView) } };
  },
});

const createConnection = defineRoute({
  operationId: 'createConnection',
  method: 'POST',
  path: '/connections',
  tag: 'Connections',
  summary: 'Create a connection (CONN-1): settings and write-only secrets of the chosen type',
  body: { ...named('CreateConnectionRequest', CreateConnectionSchema), required: true },
  response: { status: 201, description: 'The connection, without its secrets', schema: Connection },
  problems: [409, 422],
  async handle(ctx) {
    const view = await callOrders<ConnectionView>(ctx, Rpc.connectionsCreate, 'connectionsCreate', ctx.body);
    return { status: 201, body: publicView(view), headers: { Location: `/api/v1/connections/${view.id}` } };
  },
});

const getConnection = defineRoute({
  operationId: 'getConnection',
  method: 'GET',
  path: '/connections/{id}',
  tag: 'Connections',
  summary: 'One connection with its capabilities (CONN-2) and which secrets are set',
  params: IdParams,
  response: { status: 200, description: 'The connection', schema: Connection },
  problems: [404],
  async handle(ctx) {
    return { body: publicView(await callOrders(ctx, Rpc.connectionsGet, 'connectionsGet', { connectionId: ctx.params.id })) };
  },
});

const updateConnection = defineRoute({
  operationId: 'updateConnection',
  method: 'PATCH',
  path: '/connections/{id}',
  tag: 'Connections',
  summary: 'Change settings and/or replace secrets; settings are validated against the connection type',
  params: IdParams,
  body: { ...named('UpdateConnectionRequest', UpdateConnectionSchema), required: true },
  response: { status: 200, description: 'The changed connection', schema: Connection },
  problems: [404, 409, 422],
  async handle(ctx) {
    const view = await callOrders(ctx, Rpc.connectionsUpdate, 'connectionsUpdate', { ...ctx.body, connectionId: ctx.params.id });
    return { body: publicView(view) };
  },
});

const deleteConnection = defineRoute({
  operationId: 'deleteConnection',
  method: 'DELETE',
  path: '/connections/{id}',
  tag: 'Connections',
  summary: 'Delete a connection',
  params: IdParams,
  response: { status: 204, description: 'Deleted' },
  problems: [404, 409],
  async handle(ctx) {
    await callOrders(ctx, Rpc.connectionsDelete, 'connectionsDelete', { connectionId: ctx.params.id });
    return { status: 204 };
  },
});

export const SyncAccepted = named(
  'SyncAccepted',
  z.object({ accepted: z.literal(true), connectionId: z.string(), type: ConnectionTypeSchema }),
);

/**
 * WEM-2 on-demand sync: asks the connector of the connection's type over core NATS
 * (`ConnectorTriggers[type]`). 202 once a connector acknowledged; 503 when none answers.
 */
const syncConnection = defineRoute({
  operationId: 'syncConnection',
  method: 'POST',
  path: '/connections/{id}/sync',
  tag: 'Connections',
  summary: 'Ask the connector to sync this connection now (WEM-2); no request body',
  params: IdParams,
  response: { status: 202, description: 'A connector accepted the request', schema: SyncAccepted },
  problems: [404],
  async handle(ctx) {
    const view = await callOrders<ConnectionView>(ctx, Rpc.connectionsGet, 'connectionsGet', { connectionId: ctx.params.id });
    await triggerConnector(ctx, { accountId: ctx.caller.accountId, connectionId: view.id, type: view.type });
    return { status: 202, body: { accepted: true, connectionId: view.id, type: view.type } };
  },
});

async function triggerConnector(
  ctx: RouteContext<unknown, unknown, unknown>,
  request: { accountId: string; connectionId: string; type: ConnectionView['type'] },
): Promise<void> {
  const h = natsHeaders();
  const correlationId = currentContext()?.correlationId;
  if (correlationId) h.set(CORRELATION_HEADER, correlationId);
  let data: Uint8Array;
  try {
    const msg = await ctx.nats.nc.request(ctx.nats.names.subject(ConnectorTriggers[request.type]), JSON.stringify(request), {
      timeout: ctx.config.CONNECTOR_TRIGGER_TIMEOUT_MS,
      headers: h,
    });
    data = msg.data;
  } catch {
    throw new ProblemError(problems.unavailable(`No ${request.type} connector answered; the scheduled sync still runs`));
  }
  // a connector may refuse (e.g. connection inactive) with a problem; any other answer is an acknowledgement
  let reply: Partial<RpcReply<unknown>> | undefined;
  try {
    reply = data.length ? (JSON.parse(new TextDecoder().decode(data)) as Partial<RpcReply<unknown>>) : undefined;
  } catch {
    reply = undefined;
  }
  if (reply && reply.ok === false && reply.problem) {
    throw new ProblemError(reply.problem);
  }
}

export const connectionRoutes = [listConnections, createConnection, getConnection, updateConnection, deleteConnection, syncConnection];
