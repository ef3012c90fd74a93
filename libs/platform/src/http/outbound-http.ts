import type { BreakerFactory } from '../breaker/breaker-factory';
import type { PlatformMetrics } from '../metrics/metrics';

export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly retryAfterMs: number | undefined,
    endpoint: string,
  ) {
    super(`${endpoint} answered ${status}: ${bodyExcerpt(body)}`);
    this.name = 'HttpStatusError';
  }

  /** Worth retrying later: the remote is overloaded, limiting us, or down. */
  get transient(): boolean {
    return this.status === 429 || this.status === 419 || this.status === 408 || this.status >= 500;
  }
}

/**
 * What may be logged or stored of a remote answer: one line, at most `max` characters, with anything
 * that looks like a token or key (long runs of letters, digits and `-_.+/=`) replaced by `…`.
 * Never log a response body beyond this.
 */
export function bodyExcerpt(body: string, max = 160): string {
  const line = body
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/[A-Za-z0-9+/=_.-]{32,}/g, '…')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

export interface OutboundRequest {
  /** Low-cardinality name for metrics, e.g. `GET /v4/orders` (never with ids). */
  endpoint: string;
  url: string;
  init?: RequestInit;
  timeoutMs?: number;
}

export interface OutboundResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * The one way services call channel and fulfilment APIs: through a circuit breaker per target
 * (e.g. per connection), with latency and status recorded. Non-2xx answers throw HttpStatusError;
 * 4xx other than 429/419 don't count against the breaker (our request was wrong, the API is fine).
 */
export class OutboundHttp {
  constructor(
    private readonly breakers: BreakerFactory,
    private readonly metrics: PlatformMetrics,
  ) {}

  async request(target: string, req: OutboundRequest): Promise<OutboundResponse> {
    const breaker = this.breakers.get(`http:${target}`, (r: OutboundRequest) => this.send(target, r), {
      timeoutMs: (req.timeoutMs ?? 15_000) + 1_000,
      isClientError: (err) => err instanceof HttpStatusError && !err.transient,
    });
    return breaker.fire(req);
  }

  private async send(target: string, req: OutboundRequest): Promise<OutboundResponse> {
    const timer = this.metrics.httpClientDuration.startTimer({ target: target.split(':')[0], endpoint: req.endpoint });
    let status = 'error';
    try {
      const res = await fetch(req.url, { ...req.init, signal: AbortSignal.timeout(req.timeoutMs ?? 15_000) });
      status = String(res.status);
      const text = await res.text();
      if (!res.ok) throw new HttpStatusError(res.status, text, parseRetryAfter(res.headers.get('retry-after')), req.endpoint);
      return { status: res.status, headers: res.headers, text };
    } finally {
      timer({ status });
    }
  }
}

export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
