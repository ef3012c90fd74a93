import { bodyExcerpt, HttpStatusError, type OutboundHttp } from '@orderhub/platform';
import { customShopKey } from './key';
import { formatStartDate } from './shop-dates';
import { ShopApiError, shopErrorFromNetwork, shopErrorFromResponse } from './shop-errors';
import {
  isObject,
  readOrder,
  readPaging,
  readProduct,
  readShippingProfiles,
  type ShippingProfile,
  type ShopOrder,
  type ShopPaging,
  type ShopProduct,
} from './shop-wire';

export interface ShopCredentials {
  apiUrl: string;
  shopKey: string;
  basicAuthUser?: string;
  basicAuthPassword?: string;
}

export interface SetOrderStateInput {
  orderId: string;
  stateId: number;
  stateName: string;
  comment?: string;
  shippingCarrier?: string;
  trackingCode?: string;
  trackingUrl?: string;
}

export interface ClientOptions {
  timeoutMs?: number;
  now?: () => number;
}

type Method = 'GET' | 'POST';

/**
 * Hub side of the Billbee Custom Shop API (custom-shop-api.md; SSP-3): `Action` and the time-based
 * `Key` in the query string on every request, reads as GET with query parameters, writes as POST with
 * a form body, optional basic auth. Every call goes through OutboundHttp (breaker + latency metric)
 * with the connection's target. A 401 is retried once with the neighbouring Key windows, because no
 * shop tolerates a window boundary or a small clock skew; the window that works is remembered.
 */
export class CustomShopClient {
  /** Key window shift that the shop accepted last (clock skew up to one window). */
  private windowOffset = 0;

  constructor(
    private readonly http: OutboundHttp,
    /** Breaker and metric target, `serverspot:<connectionId>`. */
    readonly target: string,
    private readonly credentials: ShopCredentials,
    private readonly options: ClientOptions = {},
  ) {}

  async getOrders(startDate: Date, page: number, pageSize: number): Promise<{ paging: ShopPaging; orders: ShopOrder[] }> {
    const body = await this.call('GetOrders', 'GET', {
      StartDate: formatStartDate(startDate),
      Page: String(page),
      PageSize: String(pageSize),
    });
    if (!isObject(body) || !Array.isArray(body.orders)) throw invalid('GetOrders', 'no "orders" list');
    const orders = body.orders.map(readOrder).filter((o): o is ShopOrder => o !== undefined);
    return { paging: readPaging(body.paging, page, orders.length), orders };
  }

  async getOrder(orderId: string): Promise<ShopOrder> {
    const order = readOrder(await this.call('GetOrder', 'GET', { OrderId: orderId }));
    if (!order) throw invalid('GetOrder', 'not an order');
    return order;
  }

  async ackOrder(orderId: string): Promise<void> {
    await this.call('AckOrder', 'POST', { OrderId: orderId });
  }

  async setOrderState(input: SetOrderStateInput): Promise<void> {
    const form: Record<string, string> = {
      OrderId: input.orderId,
      NewStateTypeId: String(input.stateId),
      NewStateName: input.stateName,
      // Obsolete but still read by old shops (Postman collection sends it with the name).
      NewStateId: input.stateName,
    };
    if (input.comment) form.Comment = input.comment;
    if (input.shippingCarrier) form.ShippingCarrier = input.shippingCarrier;
    if (input.trackingCode) form.TrackingCode = input.trackingCode;
    if (input.trackingUrl) form.TrackingUrl = input.trackingUrl;
    await this.call('SetOrderState', 'POST', form);
  }

  async getProducts(page: number, pageSize: number): Promise<{ paging: ShopPaging; products: ShopProduct[] }> {
    const body = await this.call('GetProducts', 'GET', { Page: String(page), PageSize: String(pageSize) });
    if (!isObject(body) || !Array.isArray(body.products)) throw invalid('GetProducts', 'no "products" list');
    const products = body.products.map(readProduct).filter((p): p is ShopProduct => p !== undefined);
    return { paging: readPaging(body.paging, page, products.length), products };
  }

  /** Every product of the shop, page by page (GetProducts). */
  async allProducts(pageSize = 100): Promise<ShopProduct[]> {
    const all: ShopProduct[] = [];
    for (let page = 1, totalPages = 1; page <= totalPages; page++) {
      const res = await this.getProducts(page, pageSize);
      all.push(...res.products);
      totalPages = res.paging.totalPages;
    }
    return all;
  }

  async getShippingProfiles(windowOffset?: number): Promise<ShippingProfile[]> {
    const body = await this.call('GetShippingProfiles', 'GET', {}, windowOffset);
    const profiles = readShippingProfiles(body);
    if (!profiles) throw invalid('GetShippingProfiles', 'not a list of shipping profiles');
    return profiles;
  }

  /** `AvailableStock` as a decimal string; 0 is sent as "0" (stock-outs are the point). */
  async setStock(productId: string, availableStock: number): Promise<void> {
    await this.call('SetStock', 'POST', { ProductId: productId, AvailableStock: String(availableStock) });
  }

  /**
   * One action. With `fixedWindow` the Key of exactly that window shift is sent and nothing is retried
   * (the connection check uses it to measure clock skew).
   */
  async call(action: string, method: Method, params: Record<string, string>, fixedWindow?: number): Promise<unknown> {
    if (fixedWindow !== undefined) return this.send(action, method, params, fixedWindow);
    try {
      return await this.send(action, method, params, this.windowOffset);
    } catch (err) {
      if (!(err instanceof ShopApiError) || err.kind !== 'unauthorized') throw err;
      for (const shift of [this.windowOffset - 1, this.windowOffset + 1]) {
        if (Math.abs(shift) > 1) continue;
        try {
          const body = await this.send(action, method, params, shift);
          this.windowOffset = shift;
          return body;
        } catch (retryErr) {
          if (!(retryErr instanceof ShopApiError) || retryErr.kind !== 'unauthorized') throw retryErr;
        }
      }
      throw err;
    }
  }

  private async send(action: string, method: Method, params: Record<string, string>, windowOffset: number): Promise<unknown> {
    const unix = Math.floor((this.options.now?.() ?? Date.now()) / 1000);
    const url = new URL(this.credentials.apiUrl);
    url.searchParams.set('Action', action);
    url.searchParams.set('Key', customShopKey(this.credentials.shopKey, unix, windowOffset));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.credentials.basicAuthUser) {
      const pair = `${this.credentials.basicAuthUser}:${this.credentials.basicAuthPassword ?? ''}`;
      headers.authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
    }
    let body: string | undefined;
    if (method === 'GET') {
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    } else {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(params).toString();
    }
    let text: string;
    try {
      const res = await this.http.request(this.target, {
        endpoint: `${method} ${action}`,
        url: url.toString(),
        init: { method, headers, body },
        timeoutMs: this.options.timeoutMs ?? 15_000,
      });
      text = res.text;
    } catch (err) {
      if (err instanceof HttpStatusError) throw shopErrorFromResponse(action, err.status, err.body);
      throw shopErrorFromNetwork(action, this.credentials.apiUrl, err);
    }
    if (method === 'POST' && (text.trim() === '' || /^"?OK"?$/i.test(text.trim()))) return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw invalid(action, `the answer is not JSON (${bodyExcerpt(text, 80)})`);
    }
  }
}

function invalid(action: string, what: string): ShopApiError {
  return new ShopApiError('invalidResponse', `${action}: the URL does not answer like a Custom Shop API: ${what}`, 200, undefined, true);
}
