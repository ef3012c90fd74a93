import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What every log line of one unit of work carries: the correlation id and, when known, tenant and order. */
export interface RequestContext {
  correlationId: string;
  accountId?: string;
  orderId?: string;
  connectionId?: string;
  /** What kind of work runs (a bounded metric label): who spends the database commands and publishes. */
  phase?: WorkPhase;
}

/**
 * `command`: a JetStream command handler; `rpc`: a request/reply handler; `outbox`: publishing stored
 * events; `periodic`: timers (sweeps, recounts); `other`: anything outside a unit of work.
 */
export type WorkPhase = 'command' | 'rpc' | 'outbox' | 'periodic' | 'other';

export function currentPhase(): WorkPhase {
  return storage.getStore()?.phase ?? 'other';
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runInContext<T>(context: Partial<RequestContext>, fn: () => T): T {
  const parent = storage.getStore();
  return storage.run({ ...parent, ...context, correlationId: context.correlationId ?? parent?.correlationId ?? randomUUID() }, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Adds fields (e.g. the orderId once it is known) to the current unit of work's context. */
export function enrichContext(fields: Partial<Omit<RequestContext, 'correlationId'>>): void {
  const store = storage.getStore();
  if (store) Object.assign(store, fields);
}

export const CORRELATION_HEADER = 'X-Correlation-Id';
