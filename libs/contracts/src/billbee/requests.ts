import { z } from 'zod';
import { OrderStateIdSchema } from '../order/order';
import { canonicalProperties, normalizeQuery, queryBoolean, type RawQuery } from './case-insensitive';
import { parseBillbeeDate } from './dates';
import { carrierNameFor } from './enums';

/** A Billbee body schema whose properties match case-insensitively (ASP.NET model binding). */
function billbeeBody<T extends z.ZodRawShape>(shape: T) {
  const object = z.object(shape);
  return z.preprocess((body) => canonicalProperties(body, Object.keys(shape)), object);
}

const int64 = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** `PUT /orders/{id}/orderstate`. */
export const BillbeeSetStateBody = billbeeBody({ NewStateId: z.coerce.number().pipe(OrderStateIdSchema) });

/** `ApiAddShipmentToOrderModel` (`POST /orders/{id}/shipment`). `OrderId` may be a number (C# < 2.5.1). */
export const BillbeeAddShipmentBody = billbeeBody({
  ShippingId: z.string().trim().min(1).max(200),
  OrderId: z.union([z.string(), z.number()]).nullish(),
  Comment: z.string().max(2000).nullish(),
  ShippingProviderId: int64.nullish(),
  ShippingProviderProductId: int64.nullish(),
  CarrierId: z.coerce.number().int().min(0).max(255).nullish(),
  ShipmentType: z.coerce.number().int().min(0).max(1).nullish(),
  /** Not in the spec; carrier name as some scripts send it. */
  Shipper: z.string().max(100).nullish(),
});
export type BillbeeAddShipment = z.infer<typeof BillbeeAddShipmentBody>;

/** The shipment our `AddShipmentSchema` takes, from Billbee's model. */
export function shipmentFromBillbee(body: BillbeeAddShipment): { type: 'shipment' | 'return'; carrier: string; trackingNumber: string } {
  const carrier = (body.CarrierId != null ? carrierNameFor(body.CarrierId) : undefined) ?? body.Shipper?.trim() ?? 'other';
  return { type: body.ShipmentType === 1 ? 'return' : 'shipment', carrier: carrier || 'other', trackingNumber: body.ShippingId };
}

/** `POST|PUT /orders/{id}/tags`. */
export const BillbeeTagsBody = billbeeBody({ Tags: z.array(z.string().trim().min(1).max(100)).max(100) });

/** `UpdateStockApiModel` (`POST /products/updatestock`, one row of `updatestockmultiple`). */
export const BillbeeUpdateStockBody = billbeeBody({
  BillbeeId: int64.nullish(),
  Sku: z.string().trim().min(1).max(200).nullish(),
  StockId: int64.nullish(),
  Reason: z.string().max(500).nullish(),
  OldQuantity: z.number().nullish(),
  NewQuantity: z.coerce.number().finite(),
  DeltaQuantity: z.number().nullish(),
  ForceSendStockToShops: z.boolean().nullish(),
  AutosubtractReservedAmount: z.boolean().nullish(),
}).refine((b) => b.Sku != null || b.BillbeeId != null, { message: 'Sku or BillbeeId is required', path: ['Sku'] });
export type BillbeeUpdateStock = z.infer<typeof BillbeeUpdateStockBody>;

/** `WebHookApiModel` on create and update: the secret is 32–64 characters (ASP.NET WebHooks rule). */
export const BillbeeWebHookBody = billbeeBody({
  Id: z.string().nullish(),
  WebHookUri: z.url({ protocol: /^https?$/ }),
  Secret: z.string().min(32).max(64),
  Description: z.string().max(1000).nullish(),
  IsPaused: z.boolean().nullish(),
  Filters: z.array(z.string().min(1).max(100)).max(50).nullish(),
  Headers: z.record(z.string(), z.string()).nullish(),
  Properties: z.record(z.string(), z.unknown()).nullish(),
});
export type BillbeeWebHookInput = z.infer<typeof BillbeeWebHookBody>;

export interface BillbeeOrdersQuery {
  page: number;
  pageSize: number;
  minOrderDate?: string;
  maxOrderDate?: string;
  shopId: number[];
  orderStateId: number[];
  tag: string[];
  excludeTags: boolean;
  modifiedAtMin?: string;
  modifiedAtMax?: string;
  minimumBillBeeOrderId?: number;
  articleTitleSource: number;
}

export interface QueryProblem {
  path: string;
  message: string;
}

/** Paging as Billbee does it: `page` from 1, `pageSize` 1..250, default 50. */
export function parsePaging(q: Map<string, string[]>, problems: QueryProblem[]): { page: number; pageSize: number } {
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = q.get(name.toLowerCase())?.[0];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push({ path: name, message: `an integer from ${min} to ${max}` });
      return fallback;
    }
    return n;
  };
  return { page: int('page', 1, 1, 1_000_000), pageSize: int('pageSize', 50, 1, 250) };
}

/** `GET /orders` query, case-insensitive names, any array form, any client's date format. */
export function parseOrdersQuery(raw: URLSearchParams | RawQuery): { query: BillbeeOrdersQuery; problems: QueryProblem[] } {
  const q = normalizeQuery(raw);
  const problems: QueryProblem[] = [];
  const date = (name: string) => {
    const v = q.get(name.toLowerCase())?.[0];
    if (v === undefined || v === '') return undefined;
    const parsed = parseBillbeeDate(v);
    if (!parsed) problems.push({ path: name, message: 'not a date' });
    return parsed;
  };
  const numbers = (name: string) =>
    (q.get(name.toLowerCase()) ?? [])
      .flatMap((v) => v.split(','))
      .filter((v) => v.trim() !== '')
      .map((v) => {
        const n = Number(v);
        if (!Number.isSafeInteger(n) || n < 0) problems.push({ path: name, message: 'a list of non-negative integers' });
        return n;
      });
  const minimumId = numbers('minimumBillBeeOrderId')[0];
  const titleSource = numbers('articleTitleSource')[0] ?? 0;
  return {
    query: {
      ...parsePaging(q, problems),
      minOrderDate: date('minOrderDate'),
      maxOrderDate: date('maxOrderDate'),
      shopId: numbers('shopId'),
      orderStateId: numbers('orderStateId'),
      tag: (q.get('tag') ?? []).filter((t) => t !== ''),
      excludeTags: queryBoolean(q.get('excludetags')) ?? false,
      modifiedAtMin: date('modifiedAtMin'),
      modifiedAtMax: date('modifiedAtMax'),
      minimumBillBeeOrderId: minimumId,
      articleTitleSource: titleSource,
    },
    problems,
  };
}
