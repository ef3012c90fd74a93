import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Rpc, RpcRequests, type RpcRequestOf } from '@orderhub/contracts';
import { OrderCommands } from '../application/order-commands';
import { OrderQueries } from '../application/order-queries';

/** Core-NATS request/reply for the gateway; every request names its account and actor. */
@Controller()
export class OrdersRpc {
  constructor(
    @Inject(OrderQueries) private readonly queries: OrderQueries,
    @Inject(OrderCommands) private readonly commands: OrderCommands,
  ) {}

  @MessagePattern(Rpc.ordersList, { schema: RpcRequests.ordersList })
  list(@Payload() req: RpcRequestOf<'ordersList'>) {
    return this.queries.list(req);
  }

  @MessagePattern(Rpc.ordersGet, { schema: RpcRequests.ordersGet })
  get(@Payload() req: RpcRequestOf<'ordersGet'>) {
    return this.queries.get(req.accountId, req.body.orderId);
  }

  @MessagePattern(Rpc.connectionsOrderCounts, { schema: RpcRequests.connectionsOrderCounts })
  orderCounts(@Payload() req: RpcRequestOf<'connectionsOrderCounts'>) {
    return this.queries.countCreatedSince(req.accountId, req.body.since);
  }

  @MessagePattern(Rpc.ordersFindByExternalId, { schema: RpcRequests.ordersFindByExternalId })
  findByExternalId(@Payload() req: RpcRequestOf<'ordersFindByExternalId'>) {
    return this.queries.findByExternalId(req.accountId, req.body.connectionId, req.body.externalId);
  }

  @MessagePattern(Rpc.ordersStoredExternalIds, { schema: RpcRequests.ordersStoredExternalIds })
  storedExternalIds(@Payload() req: RpcRequestOf<'ordersStoredExternalIds'>) {
    return this.queries.storedExternalIds(req.accountId, req.body.connectionId, req.body.externalIds);
  }

  @MessagePattern(Rpc.ordersChangeState, { schema: RpcRequests.ordersChangeState })
  changeState(@Payload() req: RpcRequestOf<'ordersChangeState'>) {
    return this.commands.changeState(req);
  }

  @MessagePattern(Rpc.ordersAddShipment, { schema: RpcRequests.ordersAddShipment })
  addShipment(@Payload() req: RpcRequestOf<'ordersAddShipment'>) {
    return this.commands.addShipment(req);
  }

  @MessagePattern(Rpc.ordersChangeTags, { schema: RpcRequests.ordersChangeTags })
  changeTags(@Payload() req: RpcRequestOf<'ordersChangeTags'>) {
    return this.commands.changeTags(req);
  }

  @MessagePattern(Rpc.ordersCreateInvoice, { schema: RpcRequests.ordersCreateInvoice })
  createInvoice(@Payload() req: RpcRequestOf<'ordersCreateInvoice'>) {
    return this.commands.createInvoice(req);
  }

  @MessagePattern(Rpc.ordersCancel, { schema: RpcRequests.ordersCancel })
  cancel(@Payload() req: RpcRequestOf<'ordersCancel'>) {
    return this.commands.cancel(req);
  }

  @MessagePattern(Rpc.ordersEditPositions, { schema: RpcRequests.ordersEditPositions })
  editPositions(@Payload() req: RpcRequestOf<'ordersEditPositions'>) {
    return this.commands.editPositions(req);
  }

  @MessagePattern(Rpc.ordersResendWriteBack, { schema: RpcRequests.ordersResendWriteBack })
  resendWriteBack(@Payload() req: RpcRequestOf<'ordersResendWriteBack'>) {
    return this.commands.resendWriteBack(req);
  }

  @MessagePattern(Rpc.ordersRawPayload, { schema: RpcRequests.ordersRawPayload })
  rawPayload(@Payload() req: RpcRequestOf<'ordersRawPayload'>) {
    return this.queries.rawPayload(req.accountId, req.body.orderId);
  }
}
