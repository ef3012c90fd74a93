import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type ParkedChannelOrderList,
  type ParkedOrderRetryResult,
  ProblemError,
  Rpc,
  RpcRequests,
  type RpcRequestOf,
} from '@orderhub/contracts';
import { ConnectionRegistry } from '@orderhub/connector-kit';
import type { ServerspotConnections } from '../connections/serverspot-connection';
import { OrderImport } from '../import/order-import';

/** Tenant RPCs for the gateway: shop orders the connector could not read, listed and retried (issue 15). */
@Controller()
export class ParkedOrdersController {
  constructor(
    @Inject(OrderImport) private readonly imports: OrderImport,
    @Inject(ConnectionRegistry) private readonly connections: ServerspotConnections,
  ) {}

  @MessagePattern(Rpc.serverspotParkedOrders, { schema: RpcRequests.serverspotParkedOrders })
  async list(@Payload() req: RpcRequestOf<'serverspotParkedOrders'>): Promise<ParkedChannelOrderList> {
    return { items: await this.imports.parked.list(req.accountId, req.body.connectionId) };
  }

  @MessagePattern(Rpc.serverspotRetryParkedOrder, { schema: RpcRequests.serverspotRetryParkedOrder })
  async retry(@Payload() req: RpcRequestOf<'serverspotRetryParkedOrder'>): Promise<ParkedOrderRetryResult> {
    const { connectionId, externalId } = req.body;
    if (!(await this.imports.parked.get(req.accountId, connectionId, externalId))) throw ProblemError.notFound('parked order');
    const connection = await this.connections.byId(connectionId);
    if (!connection || connection.accountId !== req.accountId) {
      throw ProblemError.conflict('the connection is inactive or was deleted; activate it to retry its parked orders');
    }
    return this.imports.retryParked(connection, externalId);
  }
}
