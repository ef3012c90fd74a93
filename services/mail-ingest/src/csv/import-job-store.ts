import type { Collection, Db } from 'mongodb';
import type { ImportJob as ImportJobView, ImportRow, ImportRowStatus } from '@orderhub/contracts';

export type RowStatus = ImportRowStatus;

/** The stored job: the contract's job (`ImportJobSchema`) under its `_id`, with dates as dates and what only the service reads. */
export interface ImportJob extends Omit<ImportJobView, 'jobId' | 'createdAt' | 'updatedAt' | 'finishedAt'> {
  _id: string;
  accountId: string;
  /**
   * The error rows with the lowest row numbers (at most ERROR_PREVIEW_SIZE), kept on the job so the
   * progress poll is one read by `_id`: a query on `import_rows` scans the collection on FerretDB and
   * took over 30 s at 20 000 rows. Missing on jobs from before it existed.
   */
  errorPreview?: ImportRowPreview[];
  createdAt: Date;
  updatedAt: Date;
  finishedAt?: Date;
  /** Highest file row with a result so far: where listing the row pages stops. Missing on jobs from before row pages. */
  lastRow?: number;
  /** While `running`: the process working on it extends this; past it, the job was abandoned. */
  leaseUntil?: Date;
  /**
   * Set once every row is read and every order handed in: the stream sequence of the job's last
   * import command. The job completes when the orders service has acknowledged it, also if the
   * process that read the file is gone by then.
   */
  handedInThrough?: number;
}

export type ImportRowPreview = Pick<ImportRowResult, 'row' | 'orderNumber' | 'reason'>;

/**
 * Row results of one job, one document per status and block of ROW_PAGE_SIZE file rows, keyed
 * `<jobId>:<status>:<block>`: listing error rows reads pages by `_id` alone (FerretDB answers only an
 * `_id` equality from an index; a filter on job and status scanned every row of every job, 503 at 100 000 rows).
 */
interface ImportRowPage {
  _id: string;
  rows: Omit<ImportRowResult, '_id' | 'jobId'>[];
}

export const ROW_PAGE_SIZE = 1000;
const pageId = (jobId: string, status: RowStatus, block: number) => `${jobId}:${status}:${block}`;
const STATUSES: RowStatus[] = ['imported', 'duplicate', 'error'];

/** One stored row result: the contract's row (`ImportRowSchema`) with its job. */
export interface ImportRowResult extends ImportRow {
  _id: string;
  jobId: string;
}

/** Import jobs and their per-row results (JIM-5: a clear result per row), readable while the job runs. */
export class ImportJobStore {
  readonly jobs: Collection<ImportJob>;
  readonly rows: Collection<ImportRowResult>;
  readonly pages: Collection<ImportRowPage>;

  constructor(db: Db) {
    this.jobs = db.collection<ImportJob>('import_jobs');
    this.rows = db.collection<ImportRowResult>('import_rows');
    this.pages = db.collection<ImportRowPage>('import_row_pages');
  }

  async ensureIndexes(): Promise<void> {
    await this.rows.createIndex({ jobId: 1, row: 1 }, { name: 'job_row' });
    await this.rows.createIndex({ jobId: 1, status: 1, row: 1 }, { name: 'job_status_row' });
  }

  async create(
    job: Omit<ImportJob, 'state' | 'rowsProcessed' | 'rows' | 'orders' | 'createdAt' | 'updatedAt' | 'leaseUntil'>,
    leaseMs: number,
  ): Promise<ImportJob> {
    const now = new Date();
    const doc: ImportJob = {
      ...job,
      state: 'running',
      rowsProcessed: 0,
      rows: { imported: 0, duplicate: 0, error: 0 },
      orders: { imported: 0, duplicate: 0, error: 0 },
      errorPreview: [],
      lastRow: 0,
      createdAt: now,
      updatedAt: now,
      leaseUntil: new Date(now.getTime() + leaseMs),
    };
    await this.jobs.insertOne(doc);
    return doc;
  }

  async update(id: string, set: Partial<ImportJob>): Promise<void> {
    await this.jobs.updateOne({ _id: id }, { $set: { ...set, updatedAt: new Date() } });
  }

  /** Appends a batch of row results and bumps the counters (idempotent ids: jobId:row); `errorPreview` replaces the job's when given. */
  async appendRows(
    id: string,
    results: ImportRowResult[],
    orders: Record<RowStatus, number>,
    errorPreview?: ImportRowPreview[],
    lastRowBefore = 0,
  ): Promise<void> {
    if (results.length === 0 && orders.imported + orders.duplicate + orders.error === 0) return;
    const byPage = new Map<string, ImportRowPage['rows']>();
    let lastRow = 0;
    for (const { _id: _i, jobId: _j, ...r } of results) {
      const key = pageId(id, r.status, Math.floor(r.row / ROW_PAGE_SIZE));
      byPage.set(key, [...(byPage.get(key) ?? []), r]);
      lastRow = Math.max(lastRow, r.row);
    }
    for (const [key, rows] of byPage) await this.pages.updateOne({ _id: key }, { $push: { rows: { $each: rows } } }, { upsert: true });
    const rows = { imported: 0, duplicate: 0, error: 0 };
    for (const r of results) rows[r.status] += 1;
    await this.jobs.updateOne(
      { _id: id },
      {
        $inc: {
          rowsProcessed: results.length,
          'rows.imported': rows.imported,
          'rows.duplicate': rows.duplicate,
          'rows.error': rows.error,
          'orders.imported': orders.imported,
          'orders.duplicate': orders.duplicate,
          'orders.error': orders.error,
        },
        $set: {
          updatedAt: new Date(),
          ...(errorPreview ? { errorPreview } : {}),
          ...(lastRow ? { lastRow: Math.max(lastRow, lastRowBefore) } : {}),
        },
      },
    );
  }

  /** Read by `_id` alone and checked for the account here: FerretDB v1 scans for any other filter. */
  async get(id: string, accountId: string): Promise<ImportJob | null> {
    const job = await this.jobs.findOne({ _id: id });
    return job?.accountId === accountId ? job : null;
  }

  /** Rows after `afterRow` in file order, read page by page by `_id` up to the job's last row. */
  async listRows(job: ImportJob, filter: { status?: RowStatus; afterRow?: number; limit: number }): Promise<ImportRowResult[]> {
    const after = filter.afterRow ?? 0;
    if (job.lastRow === undefined) {
      const q: Record<string, unknown> = { jobId: job._id, ...(filter.status ? { status: filter.status } : {}), row: { $gt: after } };
      return this.rows.find(q).sort({ row: 1 }).limit(filter.limit).toArray();
    }
    const statuses = filter.status ? [filter.status] : STATUSES;
    const out: ImportRowResult[] = [];
    for (
      let block = Math.floor((after + 1) / ROW_PAGE_SIZE);
      block * ROW_PAGE_SIZE <= job.lastRow && out.length < filter.limit;
      block += 1
    ) {
      const pages = await Promise.all(statuses.map((st) => this.pages.findOne({ _id: pageId(job._id, st, block) })));
      const rows = pages
        .flatMap((p) => p?.rows ?? [])
        .filter((r) => r.row > after)
        .sort((a, b) => a.row - b.row);
      for (const r of rows) out.push({ _id: `${job._id}:${r.row}`, jobId: job._id, ...r });
    }
    return out.slice(0, filter.limit);
  }

  /** The running process is still at it: the job is not abandoned for another `leaseMs`. */
  async extendLease(id: string, leaseMs: number): Promise<void> {
    await this.jobs.updateOne({ _id: id, state: 'running' }, { $set: { leaseUntil: new Date(Date.now() + leaseMs) } });
  }

  /**
   * Jobs whose process died (kill, OOM, restart) are failed with the reason: their lease ran out, or
   * (jobs from before leases) they made no progress for two minutes. The spool file of such a job is
   * gone with its process's disk or removed by `SpoolSweeper`; resuming is not possible, uploading
   * again is (orders already handed in are then reported as duplicates).
   */
  async failAbandoned(now = new Date()): Promise<number> {
    const res = await this.jobs.updateMany(
      {
        state: 'running',
        handedInThrough: { $exists: false },
        $or: [{ leaseUntil: { $lt: now } }, { leaseUntil: { $exists: false }, updatedAt: { $lt: new Date(now.getTime() - 120_000) } }],
      },
      {
        $set: {
          state: 'failed',
          error:
            'interrupted: mail-ingest stopped while the import ran; upload the file again (orders already handed in are reported as duplicates)',
          finishedAt: now,
          updatedAt: now,
        },
      },
    );
    return res.modifiedCount;
  }

  /**
   * Abandoned jobs that had handed in all their orders are completed once the orders service has
   * acknowledged the stream through their last one (`acknowledged`).
   */
  async completeStored(acknowledged: number, now = new Date()): Promise<number> {
    const res = await this.jobs.updateMany(
      { state: 'running', handedInThrough: { $lte: acknowledged }, leaseUntil: { $lt: now } },
      { $set: { state: 'completed', finishedAt: now, updatedAt: now } },
    );
    return res.modifiedCount;
  }

  /** Whether a job is still being worked on (running and within its lease): its spool file is in use. */
  async isLive(id: string, now = new Date()): Promise<boolean> {
    const job = await this.jobs.findOne({ _id: id }, { projection: { state: 1, leaseUntil: 1 } });
    return job?.state === 'running' && (job.leaseUntil?.getTime() ?? 0) >= now.getTime();
  }
}
