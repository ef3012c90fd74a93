import { parseStartDate } from '../dates';
import { ApiErrors } from '../errors';
import { optionalParam, param, positiveInt, requiredParam } from '../params';
import { EMPTY_OK, paginate, type ShopAction } from './action';

const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;

/** Orders created or modified since StartDate, acknowledged or not (the spec has no ack filter). */
export const getOrders: ShopAction = {
  method: 'GET',
  handle(shop, params) {
    const now = shop.now();
    const rawStart = param(params, 'StartDate');
    let start: Date;
    // Official SDK: missing -> 30 days back, empty -> "now" (PHP `new DateTime('')`), garbage -> 500.
    if (rawStart === undefined) start = new Date(now.getTime() - THIRTY_DAYS_MS);
    else if (rawStart.trim() === '') start = now;
    else start = parseStartDate(rawStart) ?? throwBadDate(rawStart);
    const page = positiveInt(params, 'Page', 1);
    const pageSize = positiveInt(params, 'PageSize', shop.config.defaultOrderPageSize);
    const { paging, items } = paginate(shop.ordersSince(start), page, pageSize);
    return { paging, orders: items.map((s) => s.order) };
  },
};

export const getOrder: ShopAction = {
  method: 'GET',
  handle(shop, params) {
    return shop.getOrder(requiredParam(params, 'OrderId', ApiErrors.missingOrderId)).order;
  },
};

export const ackOrder: ShopAction = {
  method: 'POST',
  handle(shop, params) {
    shop.acknowledge(requiredParam(params, 'OrderId', ApiErrors.missingOrderId));
    return EMPTY_OK;
  },
};

export const setOrderState: ShopAction = {
  method: 'POST',
  handle(shop, params) {
    const orderId = requiredParam(params, 'OrderId', ApiErrors.missingOrderId);
    const rawState = requiredParam(params, 'NewStateTypeId', ApiErrors.missingNewStateTypeId);
    // The SDK casts to int; anything that is not an integer is "not given". 0 is accepted on purpose.
    if (!/^\d+$/.test(rawState)) throw ApiErrors.missingNewStateTypeId();
    shop.getOrder(orderId);
    shop.setOrderState({
      orderId,
      newStateTypeId: Number(rawState),
      newStateName: optionalParam(params, 'NewStateName'),
      newStateId: optionalParam(params, 'NewStateId'),
      comment: optionalParam(params, 'Comment'),
      shippingCarrier: optionalParam(params, 'ShippingCarrier'),
      trackingCode: optionalParam(params, 'TrackingCode'),
      trackingUrl: optionalParam(params, 'TrackingUrl'),
    });
    return EMPTY_OK;
  },
};

function throwBadDate(value: string): never {
  throw ApiErrors.badDate(value);
}
