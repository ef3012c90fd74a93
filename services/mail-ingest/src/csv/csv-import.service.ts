import { rm } from 'node:fs/promises';
import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Durables, Subjects } from '@orderhub/contracts';
import { LOGGER, NatsClient } from '@orderhub/platform';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { MAIL_CONFIG, type MailIngestConfig } from '../config';
import { type JimdoOrderDraft, toChannelOrder } from '../jimdo/order-draft';
import { berlinIso, countryIso2, currencyOf, parseDate, parseMoney, splitStreet } from '../jimdo/values';
import { MailMetrics } from '../metrics/mail-metrics';
import { OrderImporter } from '../processing/order-importer';
import { ImportLedger } from '../store/import-ledger';
import { BoundedPool } from './bounded-pool';
import { ErrorPreview } from './error-preview';
import { type ExportField, type HeaderMatch, matchHeader } from './jimdo-export-profile';
import { type ImportJob, ImportJobStore, type ImportRowResult, type RowStatus } from './import-job-store';
import { fileLimits } from './file-limits';
import { type Cell, type FileFormat, readRows, type SourceRow } from './row-source';

interface OrderGroup {
  orderNumber: string;
  rows: SourceRow[];
  /** More rows than an order may have: its rows are reported as they come, not kept. */
  oversized?: boolean;
}

const BATCH = 500;

/**
 * JIM-5 / CONN-3 file import: rows (one per ordered article) are grouped into orders by order
 * number, each order is handed in like a mailed one, and every row gets a result: imported,
 * duplicate (order number already imported for this connection and skipDuplicates) or error with
 * the reason. An order with a broken row is not imported at all (never half an order).
 */
@Injectable()
export class CsvImportService {
  constructor(
    @Inject(ImportJobStore) private readonly jobs: ImportJobStore,
    @Inject(ImportLedger) private readonly ledger: ImportLedger,
    @Inject(OrderImporter) private readonly importer: OrderImporter,
    @Inject(MailMetrics) private readonly metrics: MailMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(MAIL_CONFIG) private readonly config: MailIngestConfig,
    @Inject(NatsClient) private readonly nats: NatsClient,
  ) {}

  async run(job: ImportJob, path: string, format: FileFormat): Promise<void> {
    const pending: ImportRowResult[] = [];
    const orderCounts: Record<RowStatus, number> = { imported: 0, duplicate: 0, error: 0 };
    const preview = new ErrorPreview();
    let lastRow = 0;
    // One write to the job document at a time: FerretDB applies an update as read-modify-write, so a
    // lease extension landing during a counter $inc undid it (rows went missing from a job's totals).
    let jobWrites: Promise<unknown> = Promise.resolve();
    const onJob = <T>(write: () => Promise<T>): Promise<T> => {
      const next = jobWrites.then(write, write);
      jobWrites = next.catch(() => undefined);
      return next;
    };
    const flush = async () => {
      const batch = pending.splice(0);
      const counts = { ...orderCounts };
      orderCounts.imported = orderCounts.duplicate = orderCounts.error = 0;
      const errorPreview = preview.add(batch);
      const before = lastRow;
      await onJob(() => this.jobs.appendRows(job._id, batch, counts, errorPreview, before));
      lastRow = batch.reduce((m, r) => Math.max(m, r.row), lastRow);
      for (const r of batch) this.metrics.csvRows.inc({ status: r.status });
    };
    let header: HeaderMatch | undefined;
    let headerCells: string[] = [];
    const warnings = new Map<number, string>();
    const result = (row: number, status: RowStatus, orderNumber?: string, reason?: string) => {
      const warning = warnings.get(row);
      warnings.delete(row);
      pending.push({
        _id: `${job._id}:${row}`,
        jobId: job._id,
        row,
        status,
        ...(orderNumber ? { orderNumber } : {}),
        ...(reason ? { reason } : {}),
        ...(warning ? { warning } : {}),
      });
    };
    const maxRows = this.config.IMPORT_MAX_ROWS_PER_ORDER;
    const tooManyRows = (orderNumber: string) =>
      `order ${orderNumber} has more than ${maxRows} rows (the limit for one order); it is not imported`;

    // Orders are handed in IMPORT_CONCURRENCY at a time: one at a time waits out every database and
    // JetStream round trip in turn (~20 orders/s on FerretDB); the pool also holds the reader back.
    const pool = new BoundedPool(this.config.IMPORT_CONCURRENCY);
    const lease = this.config.IMPORT_JOB_LEASE_MS;
    const heartbeat = setInterval(
      () => void onJob(() => this.jobs.extendLease(job._id, lease)).catch(() => undefined),
      Math.max(250, lease / 4),
    );
    try {
      let group: OrderGroup | undefined;
      const done = new Set<string>();
      let handedThrough = 0;
      const finishGroup = async () => {
        if (!group) return;
        const g = group;
        group = undefined;
        if (done.has(g.orderNumber)) {
          for (const r of g.rows)
            result(
              r.row,
              'error',
              g.orderNumber,
              `rows of order ${g.orderNumber} are not next to each other in the file; sort the export by order number`,
            );
          orderCounts.error += 1;
          return;
        }
        done.add(g.orderNumber);
        if (g.oversized) {
          orderCounts.error += 1;
          return;
        }
        const h = header!;
        await pool.add(async () => {
          const outcome = await this.importGroup(job, h, g);
          handedThrough = Math.max(handedThrough, outcome.streamSeq ?? 0);
          orderCounts[outcome.status] += 1;
          for (const r of g.rows)
            result(
              r.row,
              outcome.rowStatus.get(r.row)?.status ?? outcome.status,
              g.orderNumber,
              outcome.rowStatus.get(r.row)?.reason ?? outcome.reason,
            );
        });
      };
      let scanned = 0;
      for await (const row of readRows(path, format, fileLimits(this.config))) {
        if (!header) {
          scanned += 1;
          headerCells = row.cells.map((c) => text(c));
          header = matchHeader(headerCells);
          if (header) await onJob(() => this.jobs.update(job._id, { locale: header!.locale }));
          else if (scanned >= 10) throw new Error('no header row with Jimdo export columns found in the first 10 rows');
          continue;
        }
        if (row.cells.every((c) => !text(c))) continue;
        if (row.cut)
          warnings.set(
            row.row,
            `cut to ${this.config.IMPORT_MAX_CELL_CHARS} characters: ${row.cut.map((i) => headerCells[i] || `column ${i + 1}`).join(', ')}`,
          );
        const orderNumber = text(cell(row, header, 'orderNumber'));
        if (!orderNumber) {
          result(row.row, 'error', undefined, 'order number is empty');
          continue;
        }
        if (group && group.orderNumber !== orderNumber) await finishGroup();
        group ??= { orderNumber, rows: [] };
        if (group.oversized) result(row.row, 'error', orderNumber, tooManyRows(orderNumber));
        else if (group.rows.length >= maxRows) {
          group.oversized = true;
          for (const r of [...group.rows, row]) result(r.row, 'error', orderNumber, tooManyRows(orderNumber));
          group.rows = [];
        } else group.rows.push(row);
        if (pending.length >= BATCH) await flush();
      }
      await finishGroup();
      await pool.drain();
      if (!header) throw new Error('the file is empty or has no header row with Jimdo export columns');
      await flush();
      if (handedThrough) await onJob(() => this.jobs.update(job._id, { handedInThrough: handedThrough }));
      await this.untilStored(handedThrough);
      clearInterval(heartbeat);
      await onJob(() => this.jobs.update(job._id, { state: 'completed', finishedAt: new Date() }));
    } catch (err) {
      await pool.settle();
      await flush().catch(() => undefined);
      const message = err instanceof Error ? err.message : String(err);
      this.logger.warn({ jobId: job._id, err: message }, 'import job failed');
      clearInterval(heartbeat);
      await onJob(() => this.jobs.update(job._id, { state: 'failed', error: message, finishedAt: new Date() }));
    } finally {
      clearInterval(heartbeat);
      await rm(path, { force: true }).catch(() => undefined);
    }
  }

  /**
   * A job is completed once its orders are stored, not when they are handed in: waits until the
   * orders service's import consumer has acknowledged the stream up to the job's last command (it
   * acknowledges a command once the order is stored, or dead-lettered with a reason).
   */
  private async untilStored(streamSeq: number): Promise<void> {
    if (!streamSeq) return;
    for (;;) {
      const acknowledged = await this.nats
        .acknowledgedThrough(Subjects.channelOrderImport, Durables.ordersOrderImport)
        .catch(() => undefined);
      if (acknowledged !== undefined && acknowledged >= streamSeq) return;
      await sleep(this.config.IMPORT_STORED_POLL_MS);
    }
  }

  private async importGroup(
    job: ImportJob,
    header: HeaderMatch,
    group: OrderGroup,
  ): Promise<{
    status: RowStatus;
    reason?: string;
    rowStatus: Map<number, { status: RowStatus; reason?: string }>;
    streamSeq?: number;
  }> {
    const rowStatus = new Map<number, { status: RowStatus; reason?: string }>();
    const positions: JimdoOrderDraft['positions'] = [];
    for (const r of group.rows) {
      const p = this.position(r, header);
      if ('error' in p) rowStatus.set(r.row, { status: 'error', reason: p.error });
      else positions.push(p);
    }
    if (rowStatus.size > 0) {
      const rows = [...rowStatus.keys()].join(', ');
      return { status: 'error', reason: `order not imported: row ${rows} of this order has an error`, rowStatus };
    }
    if (job.skipDuplicates && (await this.ledger.has(job.connectionId, group.orderNumber))) {
      return { status: 'duplicate', reason: `order ${group.orderNumber} was already imported`, rowStatus };
    }
    const first = group.rows[0]!;
    const get = (f: ExportField) => text(cell(first, header, f));
    const orderedAt = dateOf(cell(first, header, 'orderDate'), header.locale !== 'en');
    if (!orderedAt) {
      return { status: 'error', reason: `order date "${get('orderDate')}" is not a date`, rowStatus };
    }
    const draft: JimdoOrderDraft = {
      orderNumber: group.orderNumber,
      orderedAt,
      currency: currencyOf(get('currency')) ?? 'EUR',
      positions,
      invoiceAddress: clean({
        company: get('billingCompany'),
        firstName: get('billingFirstName'),
        lastName: get('billingLastName'),
        ...streetOf(get('billingStreet')),
        zip: get('billingZip'),
        city: get('billingCity'),
        countryIso2: countryIso2(get('billingCountry')),
        email: get('billingEmail'),
      }),
      shippingAddress: clean({
        company: get('shippingCompany'),
        firstName: [get('shippingFirstName'), get('shippingMiddleName')].filter(Boolean).join(' ') || undefined,
        lastName: get('shippingLastName'),
        ...streetOf(get('shippingStreet')),
        line2: get('shippingAddition'),
        zip: get('shippingZip'),
        city: get('shippingCity'),
        state: get('shippingState'),
        countryIso2: countryIso2(get('shippingCountry')),
        phone: get('shippingPhone'),
        email: get('shippingEmail'),
      }),
      ...(get('billingEmail') || get('shippingEmail') ? { buyerEmail: get('billingEmail') || get('shippingEmail') } : {}),
      shippingCost: num(cell(first, header, 'shippingCost')) ?? 0,
      ...(get('paymentMethod') ? { paymentMethod: get('paymentMethod') } : {}),
      ...([get('billingComment'), get('shippingComment')].filter(Boolean).length
        ? { comment: [get('billingComment'), get('shippingComment')].filter(Boolean).join('\n') }
        : {}),
    };
    try {
      const order = toChannelOrder(draft, JSON.stringify({ source: 'csv', jobId: job._id, rows: group.rows.map((r) => r.row) }));
      const { streamSeq } = await this.importer.import({
        accountId: job.accountId,
        connectionId: job.connectionId,
        order,
        source: 'csv',
        correlationId: job._id,
      });
      return { status: 'imported', rowStatus, streamSeq };
    } catch (err) {
      if (err instanceof ZodError) {
        return {
          status: 'error',
          reason: `order is not valid: ${err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
          rowStatus,
        };
      }
      throw err; // NATS/store trouble: the job fails with the reason instead of reporting wrong rows
    }
  }

  private position(r: SourceRow, header: HeaderMatch): JimdoOrderDraft['positions'][number] | { error: string } {
    const get = (f: ExportField) => cell(r, header, f);
    const title = text(get('title'));
    if (!title) return { error: 'article name is empty' };
    const variant = text(get('variant'));
    const numeric = (f: ExportField): number | undefined | 'bad' => {
      const raw = get(f);
      if (raw === null || raw === undefined || text(raw) === '') return undefined;
      const n = num(raw);
      return n === undefined ? 'bad' : n;
    };
    const fields = ['quantity', 'unitPriceNet', 'unitPriceGross', 'totalNet', 'totalGross', 'taxRate'] as const;
    const v: Partial<Record<(typeof fields)[number], number>> = {};
    for (const f of fields) {
      const n = numeric(f);
      if (n === 'bad') return { error: `${f} "${text(get(f))}" is not a number` };
      if (n !== undefined) v[f] = n;
    }
    let quantity = v.quantity;
    if (quantity === undefined && v.totalNet !== undefined && v.unitPriceNet) quantity = Math.round(v.totalNet / v.unitPriceNet);
    if (quantity === undefined && v.totalGross !== undefined && v.unitPriceGross) quantity = Math.round(v.totalGross / v.unitPriceGross);
    quantity ??= 1;
    if (!(quantity > 0)) return { error: `quantity ${quantity} is not positive` };
    const taxRate =
      v.taxRate ?? (v.totalGross !== undefined && v.totalNet ? Math.round((v.totalGross / v.totalNet - 1) * 1000) / 10 : undefined);
    const gross =
      v.totalGross ??
      (v.unitPriceGross !== undefined ? v.unitPriceGross * quantity : undefined) ??
      (v.totalNet !== undefined && taxRate !== undefined ? v.totalNet * (1 + taxRate / 100) : undefined) ??
      (v.unitPriceNet !== undefined && taxRate !== undefined ? v.unitPriceNet * quantity * (1 + taxRate / 100) : undefined);
    if (gross === undefined) return { error: 'no price column has a value' };
    const sku = text(get('sku'));
    return {
      ...(sku ? { sku } : {}),
      title: variant ? `${title} (${variant})` : title,
      quantity,
      unitPrice: gross / quantity,
      totalPrice: gross,
      ...(taxRate !== undefined && taxRate >= 0 && taxRate <= 100 ? { taxRate } : {}),
    };
  }
}

function cell(r: SourceRow, header: HeaderMatch, f: ExportField): Cell | undefined {
  const idx = header.columns.get(f);
  return idx === undefined ? undefined : r.cells[idx];
}

function text(c: Cell | undefined): string {
  if (c === null || c === undefined) return '';
  if (c instanceof Date) return c.toISOString();
  return String(c).trim();
}

function num(c: Cell | undefined): number | undefined {
  if (typeof c === 'number') return Number.isFinite(c) ? c : undefined;
  const s = text(c);
  return s ? parseMoney(s) : undefined;
}

function dateOf(c: Cell | undefined, dayFirst: boolean): string | undefined {
  if (c instanceof Date)
    return berlinIso(c.getUTCFullYear(), c.getUTCMonth() + 1, c.getUTCDate(), c.getUTCHours(), c.getUTCMinutes(), c.getUTCSeconds());
  const s = text(c);
  if (!s) return undefined;
  if (dayFirst) {
    const m = /^(\d{1,2})\/(\d{1,2})\/(\d{2,4})(.*)$/.exec(s);
    if (m) return parseDate(`${m[1]}.${m[2]}.${m[3]}${m[4]}`);
  }
  return parseDate(s);
}

function streetOf(line: string): { street?: string; houseNumber?: string } {
  return line ? splitStreet(line) : {};
}

function clean<T extends Record<string, unknown>>(o: T): T | undefined {
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
  return Object.keys(out).length ? out : undefined;
}
