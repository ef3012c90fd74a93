import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ProblemTypes } from '@orderhub/contracts';
import { LOGGER } from '@orderhub/platform';
import busboy from 'busboy';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { importSpoolDir, MAIL_CONFIG, type MailIngestConfig } from '../config';
import { ConnectionDirectory } from '../connections/connection-directory';
import { SPOOL_SUFFIX } from './abandoned-jobs.service';
import { CsvImportService } from './csv-import.service';
import { type ImportJob, ImportJobStore, type RowStatus } from './import-job-store';
import { ERROR_PREVIEW_SIZE } from './error-preview';
import { FileRefused, fileLimits } from './file-limits';
import { sniffFormat } from './row-source';
import { inspectXlsx } from './xlsx-reader';

/** The gateway authenticates the merchant and passes the account id in this header. */
export const ACCOUNT_HEADER = 'x-account-id';

class UploadTooLarge extends Error {}

function problem(res: Response, status: number, type: string, title: string, detail?: string) {
  res
    .status(status)
    .type('application/problem+json')
    .send({ type, title, status, ...(detail ? { detail } : {}) });
}

/**
 * JIM-5 / CONN-3 upload. The gateway proxies `POST /imports/csv` here (an RPC over NATS is a poor fit
 * for a 100 000-row file): the body (multipart `file` field or the raw file) is streamed to a spool
 * file with a size cap, the job is created and answered 202 with its id, and the rows are processed
 * in the background from the spool file with streaming parsers. `GET /imports/{jobId}` shows progress.
 */
@Controller('imports')
export class CsvImportController {
  constructor(
    @Inject(MAIL_CONFIG) private readonly config: MailIngestConfig,
    @Inject(ConnectionDirectory) private readonly directory: ConnectionDirectory,
    @Inject(ImportJobStore) private readonly jobs: ImportJobStore,
    @Inject(CsvImportService) private readonly importer: CsvImportService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Post('csv')
  async upload(
    @Req() req: Request,
    @Res() res: Response,
    @Query('connectionId') connectionId?: string,
    @Query('skipDuplicates') skipDuplicates?: string,
  ): Promise<void> {
    const accountId = req.header(ACCOUNT_HEADER);
    if (!accountId)
      return problem(res, 401, ProblemTypes.unauthorized, 'Unauthorized', `missing ${ACCOUNT_HEADER} header (set by the gateway)`);
    if (!connectionId) return problem(res, 400, ProblemTypes.validation, 'Invalid request', 'query parameter connectionId is required');
    const connection = await this.directory.find(connectionId);
    if (!connection || connection.accountId !== accountId) {
      req.resume();
      return problem(res, 404, ProblemTypes.notFound, 'Not found', `jimdo connection ${connectionId} not found`);
    }
    const dir = importSpoolDir(this.config);
    await mkdir(dir, { recursive: true });
    const jobId = randomUUID();
    const path = join(dir, `${jobId}${SPOOL_SUFFIX}`);
    let spooled: { bytes: number; fileName?: string };
    try {
      spooled = await this.spool(req, path);
    } catch (err) {
      await rm(path, { force: true });
      if (err instanceof UploadTooLarge) {
        problem(res, 413, ProblemTypes.validation, 'File too large', `the file exceeds ${this.config.IMPORT_MAX_BYTES} bytes`);
        req.unpipe();
        req.resume();
        return;
      }
      return problem(res, 400, ProblemTypes.validation, 'Invalid request', err instanceof Error ? err.message : String(err));
    }
    if (spooled.bytes === 0) {
      await rm(path, { force: true });
      return problem(res, 400, ProblemTypes.validation, 'Invalid request', 'the file is empty');
    }
    const format = await sniffFormat(path);
    if (format.format === 'xlsx') {
      const refused = await inspectXlsx(path, fileLimits(this.config)).then(
        () => undefined,
        (err: unknown) => (err instanceof FileRefused ? err.message : undefined),
      );
      if (refused) {
        await rm(path, { force: true });
        return problem(res, 422, ProblemTypes.validation, 'File refused', refused);
      }
    }
    const job = await this.jobs.create(
      {
        _id: jobId,
        accountId,
        connectionId,
        skipDuplicates: skipDuplicates !== 'false',
        bytes: spooled.bytes,
        ...(spooled.fileName ? { fileName: spooled.fileName } : {}),
        format: format.format,
        ...(format.encoding ? { encoding: format.encoding } : {}),
        ...(format.separator ? { separator: format.separator } : {}),
      },
      this.config.IMPORT_JOB_LEASE_MS,
    );
    void this.importer.run(job, path, format).catch((err: unknown) => this.logger.error({ err, jobId }, 'import job crashed'));
    res.status(202).location(`/imports/${jobId}`).send(view(job));
  }

  @Get(':jobId')
  async get(@Req() req: Request, @Res() res: Response, @Param('jobId') jobId: string): Promise<void> {
    const accountId = req.header(ACCOUNT_HEADER);
    if (!accountId) return problem(res, 401, ProblemTypes.unauthorized, 'Unauthorized', `missing ${ACCOUNT_HEADER} header`);
    const job = await this.jobs.get(jobId, accountId);
    if (!job) return problem(res, 404, ProblemTypes.notFound, 'Not found', `import job ${jobId} not found`);
    const errors = job.errorPreview ?? (await this.jobs.listRows(job, { status: 'error', limit: ERROR_PREVIEW_SIZE }));
    res.send({ ...view(job), errors: errors.map(({ row, orderNumber, reason }) => ({ row, orderNumber, reason })) });
  }

  /** Per-row results, paged by row number: `?status=error&afterRow=120&limit=500`. */
  @Get(':jobId/rows')
  async rows(
    @Req() req: Request,
    @Res() res: Response,
    @Param('jobId') jobId: string,
    @Query('status') status?: string,
    @Query('afterRow') afterRow?: string,
    @Query('limit') limit?: string,
  ): Promise<void> {
    const accountId = req.header(ACCOUNT_HEADER);
    if (!accountId) return problem(res, 401, ProblemTypes.unauthorized, 'Unauthorized', `missing ${ACCOUNT_HEADER} header`);
    const job = await this.jobs.get(jobId, accountId);
    if (!job) return problem(res, 404, ProblemTypes.notFound, 'Not found', `import job ${jobId} not found`);
    const n = Math.min(Math.max(Number(limit ?? 500) || 500, 1), 5000);
    const items = await this.jobs.listRows(job, {
      ...(status && ['imported', 'duplicate', 'error'].includes(status) ? { status: status as RowStatus } : {}),
      ...(afterRow ? { afterRow: Number(afterRow) } : {}),
      limit: n,
    });
    res.send({
      items: items.map(({ row, status: s, orderNumber, reason, warning }) => ({ row, status: s, orderNumber, reason, warning })),
      ...(items.length === n ? { nextAfterRow: items[items.length - 1]!.row } : {}),
    });
  }

  /** Streams the upload to disk, never into memory: multipart (first file field) or the raw body. */
  private spool(req: Request, path: string): Promise<{ bytes: number; fileName?: string }> {
    const max = this.config.IMPORT_MAX_BYTES;
    let bytes = 0;
    const counter = () =>
      new Transform({
        transform(chunk: Buffer, _enc, cb) {
          bytes += chunk.length;
          if (bytes > max) cb(new UploadTooLarge());
          else cb(null, chunk);
        },
      });
    const contentType = req.header('content-type') ?? '';
    if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
      return pipeline(req, counter(), createWriteStream(path)).then(() => ({ bytes }));
    }
    return new Promise((resolve, reject) => {
      const bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: max + 1 } });
      let file: Promise<{ bytes: number; fileName?: string }> | undefined;
      bb.on('file', (_name: string, stream: Readable, info: { filename: string }) => {
        if (file) {
          stream.resume();
          return;
        }
        file = pipeline(stream, counter(), createWriteStream(path)).then(() => ({ bytes, fileName: info.filename }));
        file.catch(() => undefined);
      });
      bb.on('error', reject);
      bb.on('close', () => {
        if (!file) reject(new Error('multipart body has no file field'));
        else file.then(resolve, reject);
      });
      req.pipe(bb);
    });
  }
}

function view(job: ImportJob) {
  const { _id, accountId: _a, errorPreview: _e, lastRow: _l, leaseUntil: _u, handedInThrough: _h, ...rest } = job;
  return { jobId: _id, ...rest };
}
