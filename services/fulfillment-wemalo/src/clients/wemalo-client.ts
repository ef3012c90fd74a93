import { handleWhen, retry, type RetryPolicy } from 'cockatiel';
import { HttpStatusError, type OutboundHttp, retryAfterBackoff } from '@orderhub/platform';
import { fromHttpStatusError, unreachable, WemaloApiError } from './wemalo-errors';
import type {
  WemaloDispatcher,
  WemaloGoodsOrderInput,
  WemaloPackage,
  WemaloProductInput,
  WemaloSentBooking,
  WemaloStatus,
} from './wemalo-types';

/** Per-connection call budget as wemalo reports it in `x-wemalo-limit-*` headers. */
export class CallBudget {
  private pausedUntil = 0;

  /** When wemalo says the budget is spent, hold calls for a moment instead of running into 419. */
  observe(headers: Headers, now = Date.now()): void {
    const remaining = Number(headers.get('x-wemalo-limit-remainingcall'));
    if (headers.has('x-wemalo-limit-remainingcall') && Number.isFinite(remaining) && remaining <= 0) {
      this.pausedUntil = Math.max(this.pausedUntil, now + 1_000);
    }
  }

  pause(ms: number, now = Date.now()): void {
    this.pausedUntil = Math.max(this.pausedUntil, now + ms);
  }

  async wait(now = Date.now()): Promise<void> {
    const ms = this.pausedUntil - now;
    if (ms > 0) await sleep(ms);
  }
}

export interface WemaloClientOptions {
  connectionId: string;
  baseUrl: string;
  token: string;
  budget: CallBudget;
  /** 419 answers retried in place before the caller sees the error. */
  limitRetries?: number;
  timeoutMs?: number;
}

type Json = Record<string, unknown>;

/**
 * wemalo-connect for one connection: `Authorization: JWT <token>`, every call through the
 * connection's breaker (`wemalo:<connectionId>`), the call budget honoured, 419 retried with backoff,
 * and wemalo's error bodies mapped to WemaloApiError.
 */
export class WemaloClient {
  /**
   * wemalo's call limit (419): wait as told, or back off, and try again (its own plugin sleeps 3 s). The
   * wait pauses the connection's whole call budget, so the other calls of this connection wait too.
   */
  private readonly callLimitRetry: RetryPolicy;

  constructor(
    private readonly http: OutboundHttp,
    private readonly options: WemaloClientOptions,
  ) {
    const isCallLimit = (err: unknown): err is WemaloApiError => err instanceof WemaloApiError && err.status === 419;
    this.callLimitRetry = retry(handleWhen(isCallLimit), {
      maxAttempts: options.limitRetries ?? 4,
      backoff: retryAfterBackoff({
        retryAfterMs: (err) => (isCallLimit(err) ? err.retryAfterMs : undefined),
        fallbackMs: (attempt) => 500 * 2 ** (attempt - 1),
        maxMs: 10_000,
      }),
    });
    this.callLimitRetry.onRetry(({ delay }) => options.budget.pause(Math.max(delay, 100)));
  }

  get connectionId(): string {
    return this.options.connectionId;
  }

  // --- products (WEM-3)
  getProduct(externalId: string): Promise<Json> {
    return this.call('GET', `/product/get/${enc(externalId)}`, 'GET /product/get/:externalId');
  }

  addProduct(product: WemaloProductInput): Promise<Json> {
    return this.call('POST', '/product/add', 'POST /product/add', product);
  }

  updateProduct(externalId: string, product: Partial<WemaloProductInput>): Promise<{ ignoredFields?: string[] }> {
    return this.call('PUT', `/product/update/${enc(externalId)}`, 'PUT /product/update/:externalId', product);
  }

  // --- goods orders (WEM-4, WEM-5)
  addGoodsOrder(order: WemaloGoodsOrderInput): Promise<{ id: number }> {
    return this.call('POST', '/goodsOrder/add', 'POST /goodsOrder/add', order);
  }

  /** undefined when wemalo does not know the external id. */
  async getStatus(externalId: string): Promise<WemaloStatus | undefined> {
    try {
      return await this.call<WemaloStatus>('GET', `/goodsOrder/getStatus/${enc(externalId)}`, 'GET /goodsOrder/getStatus/:externalId');
    } catch (err) {
      if (err instanceof WemaloApiError && err.notFound) return undefined;
      throw err;
    }
  }

  cancelGoodsOrder(externalId: string, reason: string): Promise<{ statusName?: string }> {
    return this.call('PUT', `/goodsOrder/cancel/${enc(externalId)}`, 'PUT /goodsOrder/cancel/:externalId', { reason });
  }

  async profiles(): Promise<WemaloDispatcher[]> {
    const body = await this.call<{ dispatcher?: WemaloDispatcher[] }>('GET', '/goodsOrder/profiles', 'GET /goodsOrder/profiles');
    return body.dispatcher ?? [];
  }

  // --- shipped (WEM-6)
  async packages(externalOrderId: string): Promise<WemaloPackage[]> {
    const body = await this.call<{ packages?: WemaloPackage[] }>(
      'GET',
      `/goodsOrder/packages?externalOrderId=${enc(externalOrderId)}`,
      'GET /goodsOrder/packages',
    );
    return body.packages ?? [];
  }

  async sentPackages(page: number, externalId?: string): Promise<{ bookings: WemaloSentBooking[]; additionalPage: boolean }> {
    const query = new URLSearchParams({ page: String(page), ...(externalId ? { externalId } : {}) });
    const body = await this.call<{ bookings?: WemaloSentBooking[]; additionalPage?: boolean }>(
      'GET',
      `/goodsOrder/packages/sent/?${query.toString()}`,
      'GET /goodsOrder/packages/sent',
    );
    return { bookings: body.bookings ?? [], additionalPage: body.additionalPage === true };
  }

  markSynced(bookingId: number): Promise<Json> {
    return this.call('PUT', `/goodsOrder/packages/sent/${bookingId}`, 'PUT /goodsOrder/packages/sent/:bookingId');
  }

  // --- webhooks
  async webhooks(): Promise<{ event: string; payload: string; token: string }[]> {
    const body = await this.call<{ hooks?: { event: string; payload: string; token: string }[] }>('GET', '/webhook', 'GET /webhook');
    return body.hooks ?? [];
  }

  registerWebhook(event: string, payload: string, token: string): Promise<Json> {
    return this.call('POST', `/webhook/${enc(event)}`, 'POST /webhook/:event', { payload, token, email: '' });
  }

  private async call<T = Json>(method: string, path: string, endpoint: string, body?: unknown): Promise<T> {
    return this.callLimitRetry.execute(async () => {
      await this.options.budget.wait();
      return this.once<T>(method, path, endpoint, body);
    });
  }

  private async once<T>(method: string, path: string, endpoint: string, body?: unknown): Promise<T> {
    let text: string;
    try {
      const res = await this.http.request(`wemalo:${this.options.connectionId}`, {
        endpoint,
        url: `${this.options.baseUrl.replace(/\/+$/, '')}${path}`,
        timeoutMs: this.options.timeoutMs ?? 30_000,
        init: {
          method,
          headers: {
            authorization: `JWT ${this.options.token}`,
            accept: 'application/json',
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        },
      });
      this.options.budget.observe(res.headers);
      text = res.text;
    } catch (err) {
      if (err instanceof HttpStatusError) {
        const mapped = fromHttpStatusError(err);
        if (mapped.status === 419) this.options.budget.pause(mapped.retryAfterMs ?? 1_000);
        throw mapped;
      }
      throw unreachable(err);
    }
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      throw new WemaloApiError(502, 'UNKNOWN', `${endpoint} answered with a body that is not JSON`);
    }
    const json = parsed as { Success?: unknown; error?: unknown; message?: unknown; status?: unknown };
    if (json && json.Success === false) {
      throw new WemaloApiError(Number(json.status) || 400, 'UNKNOWN', String(json.message ?? json.error ?? 'Success: false'));
    }
    return parsed as T;
  }
}

const enc = encodeURIComponent;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
