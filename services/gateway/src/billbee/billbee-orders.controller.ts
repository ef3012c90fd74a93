import { Body, Get, HttpCode, Inject, Param, Post, Put, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import {
  BillbeeAddShipmentBody,
  billbeeIdFor,
  billbeePage,
  billbeeResult,
  BillbeeSetStateBody,
  BillbeeTagsBody,
  type Order,
  parseOrdersQuery,
  ProblemError,
  shipmentFromBillbee,
  toBillbeeDate,
} from '@orderhub/contracts';
import type { Request } from 'express';
import type { Caller } from '../auth/api-key-authenticator';
import { BillbeeCaller } from './billbee-auth.guard';
import { BillbeeHub } from './billbee-hub';
import { BillbeeController, parseBody, queryOf } from './billbee-http';

@BillbeeController('orders')
export class BillbeeOrdersController {
  constructor(@Inject(BillbeeHub) private readonly hub: BillbeeHub) {}

  @Get()
  @ApiOperation({
    summary:
      'Billbee: paged orders (oldest first); minOrderDate, maxOrderDate, shopId[], orderStateId[], tag[], excludeTags, modifiedAtMin/Max',
  })
  @ApiResponse({ status: 200, description: 'ApiPagedResult<Order[]>' })
  async list(@BillbeeCaller() caller: Caller, @Req() req: Request) {
    const { query, problems } = parseOrdersQuery(queryOf(req));
    if (problems.length) throw ProblemError.validation(problems);
    const connections = await this.hub.connections(caller);
    const connectionIds = query.shopId.length
      ? connections.filter((c) => query.shopId.includes(billbeeIdFor('connection', c.id))).map((c) => c.id)
      : [];
    // An unknown shop id matches no order (rather than every order).
    if (query.shopId.length && !connectionIds.length) return billbeePage([], query.page, query.pageSize, 0);
    const filters = {
      states: query.orderStateId as never,
      connectionIds,
      tags: query.tag,
      excludeTags: query.excludeTags,
      ...(query.minOrderDate ? { orderedFrom: query.minOrderDate } : {}),
      ...(query.maxOrderDate ? { orderedTo: query.maxOrderDate } : {}),
      ...(query.modifiedAtMin ? { modifiedAfter: query.modifiedAtMin } : {}),
      ...(query.modifiedAtMax ? { modifiedUntil: query.modifiedAtMax } : {}),
    };
    // A page of 250 orders can be larger than one NATS message: the orders service answers in parts.
    const start = (query.page - 1) * query.pageSize;
    const items: Order[] = [];
    let totalRows = 0;
    for (;;) {
      const part = await this.hub.rpc.call(caller, 'ordersPage', {
        ...filters,
        pageSize: query.pageSize - items.length,
        offset: start + items.length,
        withTotal: items.length === 0,
      });
      if (part.totalRows !== undefined) totalRows = part.totalRows;
      items.push(...part.items);
      if (!part.cut || part.items.length === 0 || items.length >= query.pageSize) break;
    }
    return billbeePage(await this.hub.toBillbee(caller, items, connections), query.page, query.pageSize, totalRows);
  }

  @Get('findbyextref/:extRef')
  @ApiOperation({ summary: "Billbee: one order by the channel's order id (any of the account's connections)" })
  @ApiResponse({ status: 200, description: 'ApiResult<Order>' })
  async findByExternalReference(@BillbeeCaller() caller: Caller, @Param('extRef') extRef: string) {
    for (const connection of await this.hub.connections(caller)) {
      try {
        const order = await this.hub.rpc.call(caller, 'ordersFindByExternalId', { connectionId: connection.id, externalId: extRef });
        return billbeeResult((await this.hub.toBillbee(caller, [order]))[0]);
      } catch (err) {
        if (!(err instanceof ProblemError && err.problem.status === 404)) throw err;
      }
    }
    throw ProblemError.notFound('order');
  }

  @Get(':id')
  @ApiOperation({ summary: 'Billbee: one order by BillBeeOrderId' })
  @ApiResponse({ status: 200, description: 'ApiResult<Order>' })
  async get(@BillbeeCaller() caller: Caller, @Param('id') id: string) {
    return billbeeResult((await this.hub.toBillbee(caller, [await this.hub.order(caller, id)]))[0]);
  }

  @Put(':id/orderstate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Billbee: change the state ({"NewStateId": n}); the state machine and channel rules apply' })
  @ApiResponse({ status: 200, description: 'Empty body' })
  async changeState(@BillbeeCaller() caller: Caller, @Param('id') id: string, @Body() body: unknown): Promise<void> {
    const { NewStateId } = parseBody(BillbeeSetStateBody, body);
    await this.hub.rpc.call(caller, 'ordersChangeState', { orderId: await this.hub.orderId(caller, id), state: NewStateId as never });
  }

  @Post(':id/shipment')
  @HttpCode(200)
  @ApiOperation({ summary: 'Billbee: add a shipment with its tracking number (ShippingId); the state is not changed' })
  @ApiResponse({ status: 200, description: 'Empty body' })
  async addShipment(@BillbeeCaller() caller: Caller, @Param('id') id: string, @Body() body: unknown): Promise<void> {
    const shipment = shipmentFromBillbee(parseBody(BillbeeAddShipmentBody, body));
    await this.hub.rpc.call(caller, 'ordersAddShipment', { ...shipment, orderId: await this.hub.orderId(caller, id) });
  }

  @Post(':id/tags')
  @HttpCode(200)
  @ApiOperation({ summary: 'Billbee: add tags (tags the order has, in any case, are left alone)' })
  @ApiResponse({ status: 200, description: 'ApiResult' })
  async addTags(@BillbeeCaller() caller: Caller, @Param('id') id: string, @Body() body: unknown) {
    const { Tags } = parseBody(BillbeeTagsBody, body);
    const order = await this.hub.order(caller, id);
    const have = new Set(order.tags.map((t) => t.toLowerCase()));
    const add = [...new Map(Tags.filter((t) => !have.has(t.toLowerCase())).map((t) => [t.toLowerCase(), t])).values()];
    if (add.length) await this.hub.rpc.call(caller, 'ordersChangeTags', { orderId: order.id, add, remove: [] });
    return billbeeResult({});
  }

  @Put(':id/tags')
  @ApiOperation({ summary: 'Billbee: replace all tags of the order' })
  @ApiResponse({ status: 200, description: 'ApiResult' })
  async replaceTags(@BillbeeCaller() caller: Caller, @Param('id') id: string, @Body() body: unknown) {
    const { Tags } = parseBody(BillbeeTagsBody, body);
    const order = await this.hub.order(caller, id);
    const wanted = new Set(Tags);
    const add = Tags.filter((t) => !order.tags.includes(t));
    const remove = order.tags.filter((t) => !wanted.has(t));
    if (add.length || remove.length) await this.hub.rpc.call(caller, 'ordersChangeTags', { orderId: order.id, add, remove });
    return billbeeResult({});
  }

  @Post('CreateInvoice/:id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Billbee: create the invoice; refused for OTTO orders (OTTO-2) and connections that forbid invoices (SSP-2)' })
  @ApiResponse({ status: 200, description: 'ApiResult<Invoice>' })
  async createInvoice(@BillbeeCaller() caller: Caller, @Param('id') id: string) {
    const order = await this.hub.rpc.call(caller, 'ordersCreateInvoice', { orderId: await this.hub.orderId(caller, id) });
    const gross = order.totalGross;
    const net = order.positions.reduce((sum, p) => sum + p.totalPrice / (1 + (p.taxRate ?? 19) / 100), 0);
    return billbeeResult({
      OrderNumber: order.orderNumber ?? order.externalId,
      InvoiceNumber: order.invoiceNumber ?? null,
      PDFData: null,
      InvoiceDate: toBillbeeDate(order.updatedAt),
      TotalGross: gross,
      TotalNet: Math.round(net * 100) / 100,
      PdfDownloadUrl: null,
    });
  }
}
