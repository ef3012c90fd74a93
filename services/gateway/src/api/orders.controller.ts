import { Body, Controller, Get, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/api-key-authenticator';
import { ApiKeyAuth, CurrentCaller } from '../auth/api-key.guard';
import { TenantRpc } from '../clients/tenant-rpc.client';
import { Answers } from '../http/answers';
import { ApiProblems } from '../http/openapi';
import {
  AddShipmentRequest,
  CancelOrderRequest,
  ChangeStateRequest,
  ChangeTagsRequest,
  EditPositionsRequest,
  IdParams,
  ListOrdersQuery,
  OrderDto,
  OrderPageDto,
  OrderRawPayloadDto,
} from './dto';

const orderLink = (id: string) => `/api/v1/orders/${id}`;

@ApiTags('Orders')
@ApiKeyAuth()
@Controller('api/v1/orders')
export class OrdersController {
  constructor(@Inject(TenantRpc) private readonly rpc: TenantRpc) {}

  @Get()
  @ApiOperation({ summary: 'Orders of the account, newest first, filtered and paged by cursor' })
  @Answers(200, 'A page of orders', OrderPageDto)
  listOrders(@CurrentCaller() caller: Caller, @Query() query: ListOrdersQuery) {
    return this.rpc.call(caller, 'ordersList', query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One order with its history' })
  @Answers(200, 'The order including `history`', OrderDto)
  @ApiProblems(404)
  getOrder(@CurrentCaller() caller: Caller, @Param() { id }: IdParams) {
    return this.rpc.call(caller, 'ordersGet', { orderId: id });
  }

  @Get(':id/raw')
  @ApiOperation({ summary: 'The payload the channel sent for the order, as stored (`rawPayload`: a JSON string, null when none)' })
  @Answers(200, 'The stored channel payload', OrderRawPayloadDto)
  @ApiProblems(404)
  getOrderRawPayload(@CurrentCaller() caller: Caller, @Param() { id }: IdParams) {
    return this.rpc.call(caller, 'ordersRawPayload', { orderId: id });
  }

  @Post(':id/write-back/resend')
  @ApiOperation({
    summary:
      "Send the order's write-back to its channel again (shipped with tracking, cancelled, or the current state); the connector asks the channel first, so nothing is written twice",
  })
  @Answers(202, 'The order; the resend is in its history and the outcome follows there', OrderDto)
  @ApiProblems(404, 409)
  resendWriteBack(@CurrentCaller() caller: Caller, @Param() { id }: IdParams) {
    return this.rpc.call(caller, 'ordersResendWriteBack', { orderId: id }, orderLink(id));
  }

  @Put(':id/state')
  @ApiOperation({ summary: 'Change the order state (Billbee state ids); refused transitions and channel rules answer 409/422' })
  @Answers(200, 'The changed order', OrderDto)
  @ApiProblems(404, 409, 422)
  changeOrderState(@CurrentCaller() caller: Caller, @Param() { id }: IdParams, @Body() body: ChangeStateRequest) {
    return this.rpc.call(caller, 'ordersChangeState', { ...body, orderId: id }, orderLink(id));
  }

  @Post(':id/shipments')
  @ApiOperation({ summary: 'Add a shipment or return label with carrier and tracking number (OTTO-3/OTTO-4 apply)' })
  @Answers(201, 'The order with the new shipment', OrderDto)
  @ApiProblems(404, 409, 422)
  addShipment(@CurrentCaller() caller: Caller, @Param() { id }: IdParams, @Body() body: AddShipmentRequest) {
    return this.rpc.call(caller, 'ordersAddShipment', { ...body, orderId: id }, orderLink(id));
  }

  @Post(':id/tags')
  @ApiOperation({ summary: 'Add and/or remove tags (HUB-4: tags drive fulfilment hand-off)' })
  @Answers(200, 'The changed order', OrderDto)
  @ApiProblems(404, 409)
  changeOrderTags(@CurrentCaller() caller: Caller, @Param() { id }: IdParams, @Body() body: ChangeTagsRequest) {
    return this.rpc.call(caller, 'ordersChangeTags', { ...body, orderId: id }, orderLink(id));
  }

  @Post(':id/invoice')
  @ApiOperation({ summary: 'Create the invoice (number); refused for OTTO orders (OTTO-2) and where the connection forbids it (SSP-2)' })
  @Answers(200, 'The order with its `invoiceNumber`', OrderDto)
  @ApiProblems(404, 409, 422)
  createInvoice(@CurrentCaller() caller: Caller, @Param() { id }: IdParams) {
    return this.rpc.call(caller, 'ordersCreateInvoice', { orderId: id }, orderLink(id));
  }

  @Post(':id/cancel')
  @ApiOperation({ summary: 'Cancel the order or some positions (OTTO-8: whole orders only); the body is optional' })
  @Answers(200, 'The cancelled order', OrderDto)
  @ApiProblems(404, 409, 422)
  cancelOrder(@CurrentCaller() caller: Caller, @Param() { id }: IdParams, @Body() body: CancelOrderRequest) {
    return this.rpc.call(caller, 'ordersCancel', { ...body, orderId: id }, orderLink(id));
  }

  @Put(':id/positions')
  @ApiOperation({ summary: 'Replace the positions; refused when the connection locks positions (SSP-2, OTTO-1)' })
  @Answers(200, 'The changed order', OrderDto)
  @ApiProblems(404, 409, 422)
  editOrderPositions(@CurrentCaller() caller: Caller, @Param() { id }: IdParams, @Body() body: EditPositionsRequest) {
    return this.rpc.call(caller, 'ordersEditPositions', { ...body, orderId: id }, orderLink(id));
  }
}
