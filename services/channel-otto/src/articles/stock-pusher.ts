import type { Logger } from 'pino';
import type { ConnectorMetrics } from '@orderhub/connector-kit';
import { isTransient, type OttoApiClient } from '../clients/otto-api-client';
import type { OttoConnection } from '../connections/otto-connection';

/** OTTO-12 / Availability V1: at most 200 quantities per request. */
export const MAX_QUANTITIES_PER_REQUEST = 200;

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

interface Batch {
  connection: OttoConnection;
  items: Map<string, { quantity: number; occurredAt: number }>;
  waiters: Waiter[];
  timer?: NodeJS.Timeout;
}

/**
 * Collects stock changes for a short while and sends one `POST /v1/availability/quantities` per
 * connection with up to 200 absolute quantities. The event handler awaits its batch: a transient
 * failure rejects every waiting message, so JetStream redelivers them (absolute values make that safe).
 * A 207 is a partial success: the SKUs OTTO does not know are logged and counted, not retried.
 */
export class StockPusher {
  private readonly batches = new Map<string, Batch>();
  /** Newest change pushed per connection and SKU: a late redelivery must not overwrite a newer quantity. */
  private readonly pushedAt = new Map<string, number>();

  constructor(
    private readonly api: OttoApiClient,
    private readonly metrics: ConnectorMetrics,
    private readonly logger: Logger,
    private readonly delayMs: number,
  ) {}

  push(connection: OttoConnection, sku: string, quantity: number, occurredAt: string): Promise<void> {
    const at = Date.parse(occurredAt);
    if ((this.pushedAt.get(`${connection.id}|${sku}`) ?? -Infinity) > at) return Promise.resolve();
    let batch = this.batches.get(connection.id);
    if (!batch) {
      batch = { connection, items: new Map(), waiters: [] };
      this.batches.set(connection.id, batch);
    }
    const current = batch.items.get(sku);
    if (!current || current.occurredAt <= at) batch.items.set(sku, { quantity: Math.max(0, Math.trunc(quantity)), occurredAt: at });
    const done = new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
    if (batch.items.size >= MAX_QUANTITIES_PER_REQUEST) void this.flush(connection.id);
    else batch.timer ??= setTimeout(() => void this.flush(connection.id), this.delayMs);
    return done;
  }

  async flush(connectionId: string): Promise<void> {
    const batch = this.batches.get(connectionId);
    if (!batch) return;
    this.batches.delete(connectionId);
    if (batch.timer) clearTimeout(batch.timer);
    const items = [...batch.items].map(([sku, v]) => ({ sku, quantity: v.quantity }));
    try {
      const result = await this.api.updateQuantities(batch.connection, items);
      for (const [sku, v] of batch.items) {
        const key = `${connectionId}|${sku}`;
        this.pushedAt.set(key, Math.max(this.pushedAt.get(key) ?? -Infinity, v.occurredAt));
      }
      const failed = result.errors.length;
      this.metrics.writeBacks.inc({ connector: 'otto', action: 'stock', outcome: 'ok' }, items.length - failed);
      if (failed > 0) {
        this.metrics.writeBacks.inc({ connector: 'otto', action: 'stock', outcome: 'failed' }, failed);
        this.logger.warn(
          { connectionId, status: result.status, errors: result.errors.slice(0, 20).map((e) => e.detail ?? e.title) },
          'OTTO refused some stock quantities (partial result)',
        );
      }
      for (const w of batch.waiters) w.resolve();
    } catch (err) {
      if (isTransient(err)) {
        for (const w of batch.waiters) w.reject(err);
        return;
      }
      // 400/413/422: the request itself is wrong; retrying the same batch cannot help.
      this.metrics.writeBacks.inc({ connector: 'otto', action: 'stock', outcome: 'failed' }, items.length);
      this.logger.error({ err, connectionId, count: items.length }, 'OTTO refused the stock update');
      for (const w of batch.waiters) w.resolve();
    }
  }

  /** On shutdown: send what is collected instead of waiting for the timer. */
  async flushAll(): Promise<void> {
    await Promise.allSettled([...this.batches.keys()].map((id) => this.flush(id)));
  }
}
