import {
  AddShipmentSchema,
  CancelOrderSchema,
  ChangeStateSchema,
  ChangeTagsSchema,
  EditPositionsSchema,
  type Order,
  OrderSchema,
  OrderStateIdSchema,
  Rpc,
} from '@orderhub/contracts';
import { z } from 'zod';
import { IdParams, defineRoute, named, pageOf } from './route';
import { callOrders } from './rpc-call';

const Order_ = named('Order', OrderSchema);
const OrderPage = named('OrderPage', pageOf(OrderSchema));

/** `?state=1&state=3` or `?state=1,3` → [1, 3]; anything non-numeric fails the state id check. */
const stateIds = z
  .union([z.string(), z.array(z.string())])
  .describe('Order state id(s) 1..17 as in Billbee; repeat the parameter or give a comma list')
  .transform((v) =>
    (Array.isArray(v) ? v : [v])
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s) => (/^\d+$/.test(s) ? Number(s) : Number.NaN)),
  )
  .pipe(z.array(OrderStateIdSchema));

/** Query strings are strings: this is the HTTP shape of the contract's ListOrdersQuerySchema. */
export const ListOrdersHttpQuery = z.object({
  state: stateIds.optional(),
  connectionId: z.string().optional().describe('Only orders of this connection'),
  tag: z.string().optional().describe('Only orders carrying this tag'),
  from: z.iso.datetime({ offset: true }).optional().describe('Ordered at or after (ISO 8601 with offset)'),
  to: z.iso.datetime({ offset: true }).optional().describe('Ordered before (ISO 8601 with offset)'),
  search: z.string().max(200).optional().describe('Order number, external id or buyer name/e-mail (prefix, case-insensitive)'),
  cursor: z.string().max(500).optional().describe('`nextCursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).optional().describe('Page size, 1..200 (default 50)'),
});
// callOrders checks the result against RpcRequests.ordersList, i.e. the contract's ListOrdersQuerySchema (and its defaults)

const listOrders = defineRoute({
  operationId: 'listOrders',
  method: 'GET',
  path: '/orders',
  tag: 'Orders',
  summary: 'Orders of the account, newest first, filtered and paged by cursor',
  query: ListOrdersHttpQuery,
  response: { status: 200, description: 'A page of orders', schema: OrderPage },
  problems: [],
  async handle(ctx) {
    return { body: await callOrders(ctx, Rpc.ordersList, 'ordersList', ctx.query) };
  },
});

const getOrder = defineRoute({
  operationId: 'getOrder',
  method: 'GET',
  path: '/orders/{id}',
  tag: 'Orders',
  summary: 'One order with its history',
  params: IdParams,
  response: { status: 200, description: 'The order including `history`', schema: Order_ },
  problems: [404],
  async handle(ctx) {
    return { body: await callOrders<Order>(ctx, Rpc.ordersGet, 'ordersGet', { orderId: ctx.params.id }) };
  },
});

const changeState = defineRoute({
  operationId: 'changeOrderState',
  method: 'PUT',
  path: '/orders/{id}/state',
  tag: 'Orders',
  summary: 'Change the order state (Billbee state ids); refused transitions and channel rules answer 409/422',
  params: IdParams,
  body: { ...named('ChangeStateRequest', ChangeStateSchema), required: true },
  response: { status: 200, description: 'The changed order', schema: Order_ },
  problems: [404, 409, 422],
  async handle(ctx) {
    return { body: await callOrders(ctx, Rpc.ordersChangeState, 'ordersChangeState', { ...ctx.body, orderId: ctx.params.id }) };
  },
});

const addShipment = defineRoute({
  operationId: 'addShipment',
  method: 'POST',
  path: '/orders/{id}/shipments',
  tag: 'Orders',
  summary: 'Add a shipment or return label with carrier and tracking number (OTTO-3/OTTO-4 apply)',
  params: IdParams,
  body: { ...named('AddShipmentRequest', AddShipmentSchema), required: true },
  response: { status: 201, description: 'The order with the new shipment', schema: Order_ },
  problems: [404, 409, 422],
  async handle(ctx) {
    const order = await callOrders(ctx, Rpc.ordersAddShipment, 'ordersAddShipment', { ...ctx.body, orderId: ctx.params.id });
    return { status: 201, body: order };
  },
});

const changeTags = defineRoute({
  operationId: 'changeOrderTags',
  method: 'POST',
  path: '/orders/{id}/tags',
  tag: 'Orders',
  summary: 'Add and/or remove tags (HUB-4: tags drive fulfilment hand-off)',
  params: IdParams,
  body: { ...named('ChangeTagsRequest', ChangeTagsSchema), required: true },
  response: { status: 200, description: 'The changed order', schema: Order_ },
  problems: [404, 409],
  async handle(ctx) {
    return { body: await callOrders(ctx, Rpc.ordersChangeTags, 'ordersChangeTags', { ...ctx.body, orderId: ctx.params.id }) };
  },
});

const createInvoice = defineRoute({
  operationId: 'createInvoice',
  method: 'POST',
  path: '/orders/{id}/invoice',
  tag: 'Orders',
  summary: 'Create the invoice (number); refused for OTTO orders (OTTO-2) and where the connection forbids it (SSP-2)',
  params: IdParams,
  response: { status: 200, description: 'The order with its `invoiceNumber`', schema: Order_ },
  problems: [404, 409, 422],
  async handle(ctx) {
    return { body: await callOrders(ctx, Rpc.ordersCreateInvoice, 'ordersCreateInvoice', { orderId: ctx.params.id }) };
  },
});

const cancelOrder = defineRoute({
  operationId: 'cancelOrder',
  method: 'POST',
  path: '/orders/{id}/cancel',
  tag: 'Orders',
  summary: 'Cancel the order or some positions (OTTO-8: whole orders only); the body is optional',
  params: IdParams,
  body: { ...named('CancelOrderRequest', CancelOrderSchema), required: false },
  response: { status: 200, description: 'The cancelled order', schema: Order_ },
  problems: [404, 409, 422],
  async handle(ctx) {
    return { body: await callOrders(ctx, Rpc.ordersCancel, 'ordersCancel', { ...(ctx.body ?? {}), orderId: ctx.params.id }) };
  },
});

const editPositions = defineRoute({
  operationId: 'editOrderPositions',
  method: 'PUT',
  path: '/orders/{id}/positions',
  tag: 'Orders',
  summary: 'Replace the positions; refused when the connection locks positions (SSP-2, OTTO-1)',
  params: IdParams,
  body: { ...named('EditPositionsRequest', EditPositionsSchema), required: true },
  response: { status: 200, description: 'The changed order', schema: Order_ },
  problems: [404, 409, 422],
  async handle(ctx) {
    return { body: await callOrders(ctx, Rpc.ordersEditPositions, 'ordersEditPositions', { ...ctx.body, orderId: ctx.params.id }) };
  },
});

export const orderRoutes = [listOrders, getOrder, changeState, addShipment, changeTags, createInvoice, cancelOrder, editPositions];
