import type { ChannelErrors } from '@orderhub/connector-kit';
import { bodyExcerpt, HttpStatusError } from '@orderhub/platform';

/** wemalo's error body: `{ Success: false, status, error: NOT_FOUND|INVALID|MISSING_PARAMETER|UNAUTHORIZED|LIMIT|DUPLICATE, field?, message }`. */
export type WemaloErrorType =
  'NOT_FOUND' | 'INVALID' | 'MISSING_PARAMETER' | 'UNAUTHORIZED' | 'LIMIT' | 'DUPLICATE' | 'INTERNAL' | 'UNKNOWN';

/** A refusal or failure of wemalo-connect, mapped from its error body (or from a bare status). */
export class WemaloApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: WemaloErrorType,
    message: string,
    readonly field?: string,
    readonly retryAfterMs?: number,
  ) {
    super(`wemalo ${status} ${type}${field ? ` (${field})` : ''}: ${message}`);
    this.name = 'WemaloApiError';
  }

  /** Retry later: rate limit (419/429), timeouts, wemalo down; everything else needs a changed request. */
  get transient(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 419 || this.status === 429 || this.status >= 500;
  }

  get notFound(): boolean {
    return this.status === 404 || this.type === 'NOT_FOUND';
  }
}

const KNOWN: WemaloErrorType[] = ['NOT_FOUND', 'INVALID', 'MISSING_PARAMETER', 'UNAUTHORIZED', 'LIMIT', 'DUPLICATE', 'INTERNAL'];

export function fromHttpStatusError(err: HttpStatusError): WemaloApiError {
  let body: { error?: unknown; field?: unknown; message?: unknown } | undefined;
  try {
    body = JSON.parse(err.body) as typeof body;
  } catch {
    body = undefined;
  }
  const type = KNOWN.includes(body?.error as WemaloErrorType) ? (body?.error as WemaloErrorType) : err.status === 419 ? 'LIMIT' : 'UNKNOWN';
  const message = typeof body?.message === 'string' ? body.message : bodyExcerpt(err.body) || `HTTP ${err.status}`;
  return new WemaloApiError(err.status, type, message, typeof body?.field === 'string' ? body.field : undefined, err.retryAfterMs);
}

/** Network errors, timeouts, an open breaker: wemalo could not be asked. Always transient. */
export function unreachable(err: unknown): WemaloApiError {
  const message = err instanceof Error ? err.message : String(err);
  return new WemaloApiError(0, 'UNKNOWN', `wemalo not reachable: ${message}`);
}

export function isTransient(err: unknown): boolean {
  if (err instanceof WemaloApiError) return err.transient;
  if (err instanceof HttpStatusError) return err.transient;
  // RPC timeouts to the orders service and NATS hiccups are worth a retry too.
  const problem = (err as { problem?: { status?: number } } | undefined)?.problem;
  if (problem?.status !== undefined) return problem.status >= 500 || problem.status === 429;
  return true;
}

/** wemalo refused the API token (rotated, revoked): the work waits until the connection works again. */
export function isAuthFailure(err: unknown): boolean {
  return err instanceof WemaloApiError && (err.status === 401 || err.status === 403 || err.type === 'UNAUTHORIZED');
}

/** How the write-back pipeline treats wemalo failures: a refused token waits, so do outages and limits. */
export const wemaloErrors: ChannelErrors = {
  classify: (err) => (isAuthFailure(err) ? 'auth' : isTransient(err) ? 'transient' : 'permanent'),
  describe: (err) => (err instanceof Error ? err.message : String(err)).slice(0, 500),
};
