import type { ImportRowPreview, ImportRowResult } from './import-job-store';

/** As many error rows as `GET /imports/{jobId}` shows; all of them are paged through `/rows`. */
export const ERROR_PREVIEW_SIZE = 100;

/**
 * The ERROR_PREVIEW_SIZE error rows with the lowest row numbers seen so far: bounded however many
 * rows fail, and exact although orders finish out of file order (they are handed in concurrently).
 */
export class ErrorPreview {
  private rows: ImportRowPreview[] = [];

  /** Merges a batch; answers the new preview when it changed, else undefined (nothing to write). */
  add(batch: ImportRowResult[]): ImportRowPreview[] | undefined {
    const errors = batch.filter((r) => r.status === 'error');
    const worst = this.rows.length >= ERROR_PREVIEW_SIZE ? this.rows[this.rows.length - 1]!.row : Infinity;
    const fresh = errors.filter((r) => r.row < worst);
    if (fresh.length === 0) return undefined;
    const merged = [
      ...this.rows,
      ...fresh.map(({ row, orderNumber, reason }) => ({ row, ...(orderNumber ? { orderNumber } : {}), ...(reason ? { reason } : {}) })),
    ];
    this.rows = merged.sort((a, b) => a.row - b.row).slice(0, ERROR_PREVIEW_SIZE);
    return this.rows;
  }
}
