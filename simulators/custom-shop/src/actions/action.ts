import type { Params } from '../params';
import type { Shop } from '../shop';

/** One Custom Shop API action: reads are GET with query parameters, writes are POST with a form body. */
export interface ShopAction {
  method: 'GET' | 'POST';
  /** Returns the response body in the shop's model; the router serialises it the SDK way. */
  handle(shop: Shop, params: Params | undefined): unknown;
}

/** The paging block of GetOrders/GetProducts, camelCase unlike everything else; no pageSize field. */
export interface Paging {
  page: number;
  totalCount: number;
  totalPages: number;
}

export function paginate<T>(items: readonly T[], page: number, pageSize: number): { paging: Paging; items: T[] } {
  return {
    paging: { page, totalCount: items.length, totalPages: Math.ceil(items.length / pageSize) },
    items: items.slice((page - 1) * pageSize, page * pageSize),
  };
}

/** Writes answer an empty JSON object, as the official SDK does. */
export const EMPTY_OK = {};
