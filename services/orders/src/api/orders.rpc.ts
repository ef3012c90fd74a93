import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { z } from 'zod';
import { Rpc, RpcRequests } from '@orderhub/contracts';
import { OrderCommands } from '../application/order-commands';
import { OrderQueries } from '../application/order-queries';

type Req<K extends keyof typeof RpcRequests> = z.infer<(typeof RpcRequests)[K]>;

/** Core-NATS request/reply for the gateway; every request names its account and actor. */
@Controller()
export class OrdersRpc {
  constructor(
    @Inject(OrderQueries) private readonly queries: OrderQueries,
    @Inject(OrderCommands) private readonly commands: OrderCommands,
  ) {}

  @MessagePattern(Rpc.ordersList, { schema: RpcRequests.ordersList })
  list(@Payload() req: Req<'ordersList'>) {
    return this.queries.list(req);
  }

  @MessagePattern(Rpc.ordersGet, { schema: RpcRequests.ordersGet })
  get(@Payload() req: Req<'ordersGet'>) {
    return this.queries.get(req.accountId, req.body.orderId);
  }

  @MessagePattern(Rpc.ordersFindByExternalId, { schema: RpcRequests.ordersFindByExternalId })
  findByExternalId(@Payload() req: Req<'ordersFindByExternalId'>) {
    return this.queries.findByExternalId(req.accountId, req.body.connectionId, req.body.externalId);
  }

  @MessagePattern(Rpc.ordersChangeState, { schema: RpcRequests.ordersChangeState })
  changeState(@Payload() req: Req<'ordersChangeState'>) {
    return this.commands.changeState(req);
  }

  @MessagePattern(Rpc.ordersAddShipment, { schema: RpcRequests.ordersAddShipment })
  addShipment(@Payload() req: Req<'ordersAddShipment'>) {
    return this.commands.addShipment(req);
  }

  @MessagePattern(Rpc.ordersChangeTags, { schema: RpcRequests.ordersChangeTags })
  changeTags(@Payload() req: Req<'ordersChangeTags'>) {
    return this.commands.changeTags(req);
  }

  @MessagePattern(Rpc.ordersCreateInvoice, { schema: RpcRequests.ordersCreateInvoice })
  createInvoice(@Payload() req: Req<'ordersCreateInvoice'>) {
    return this.commands.createInvoice(req);
  }

  @MessagePattern(Rpc.ordersCancel, { schema: RpcRequests.ordersCancel })
  cancel(@Payload() req: Req<'ordersCancel'>) {
    return this.commands.cancel(req);
  }

  @MessagePattern(Rpc.ordersEditPositions, { schema: RpcRequests.ordersEditPositions })
  editPositions(@Payload() req: Req<'ordersEditPositions'>) {
    return this.commands.editPositions(req);
  }

  @MessagePattern(Rpc.ordersResendWriteBack, { schema: RpcRequests.ordersResendWriteBack })
  resendWriteBack(@Payload() req: Req<'ordersResendWriteBack'>) {
    return this.commands.resendWriteBack(req);
  }

  @MessagePattern(Rpc.ordersRawPayload, { schema: RpcRequests.ordersRawPayload })
  rawPayload(@Payload() req: Req<'ordersRawPayload'>) {
    return this.queries.rawPayload(req.accountId, req.body.orderId);
  }
}
