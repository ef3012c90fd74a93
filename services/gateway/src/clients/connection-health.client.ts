import { Inject, Injectable } from '@nestjs/common';
import { type ConnectionHealth, type ConnectionHealthView, type ConnectionView, connectorHealthMethod } from '@orderhub/contracts';
import { RpcClient } from '@orderhub/platform';
import type { Caller } from '../auth/api-key-authenticator';
import { TenantRpc } from './tenant-rpc.client';

/** A connector that does not answer this fast leaves its connections "unknown" rather than holding the page. */
const CONNECTOR_HEALTH_TIMEOUT_MS = 2_000;

/** Midnight UTC of today: the day "orders imported today" counts from when the caller names none. */
export const startOfUtcDay = (now = new Date()) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString();

/**
 * Connection health for the API (issue 15/18): what each connector recorded (last success, last
 * error, consecutive failures, breaker) joined with the orders the hub took in since `since`.
 * Connectors answer per account, so another account's connections never appear.
 */
@Injectable()
export class ConnectionHealthReader {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(TenantRpc) private readonly tenantRpc: TenantRpc,
  ) {}

  async of(caller: Caller, connections: ConnectionView[], since: string): Promise<ConnectionHealthView[]> {
    const types = [...new Set(connections.map((c) => c.type))];
    const only = connections.length === 1 ? connections[0]!.id : undefined;
    const [records, counts] = await Promise.all([
      Promise.all(types.map((type) => this.recorded(type, caller.accountId, only))),
      this.tenantRpc.call(caller, 'connectionsOrderCounts', { since }),
    ]);
    const byId = new Map(records.flat().map((h) => [h.connectionId, h]));
    const ordersOf = new Map(counts.map((c) => [c.connectionId, c.orders]));
    return connections.map((c) => view(c, byId.get(c.id), ordersOf.get(c.id) ?? 0, since));
  }

  private async recorded(type: ConnectionView['type'], accountId: string, connectionId?: string): Promise<ConnectionHealth[]> {
    try {
      return await this.rpc.invoke(connectorHealthMethod(type), { accountId, connectionId }, CONNECTOR_HEALTH_TIMEOUT_MS);
    } catch {
      return []; // no connector of this type running, or it is busy: its connections show "unknown"
    }
  }
}

function view(connection: ConnectionView, health: ConnectionHealth | undefined, orders: number, since: string): ConnectionHealthView {
  if (!health)
    return {
      connectionId: connection.id,
      type: connection.type,
      status: 'unknown',
      consecutiveFailures: 0,
      ordersImportedSince: orders,
      since,
    };
  const { accountId: _account, ...recorded } = health;
  const status = health.consecutiveFailures > 0 ? 'failing' : health.lastSuccessAt ? 'ok' : 'unknown';
  return { ...recorded, type: connection.type, status, ordersImportedSince: orders, since };
}
