import { z } from 'zod';
import { readFromMailIngest, uploadToMailIngest } from '../mail-ingest/mail-ingest-proxy';
import { defineRoute, IdParam, named } from './route';

/**
 * JIM-5 / CONN-3 file import, served by mail-ingest's HTTP API (`MAIL_INGEST_URL`). The gateway
 * authenticates, sets `X-Account-Id` from the API key and pipes the file through unread (no NATS
 * message: those stop at 1 MB, an export may have 100 000 rows). Processing runs as a job at
 * mail-ingest; these routes start it and read its progress and per-row results.
 *
 * The result shapes are mail-ingest's (`src/csv/csv-import.controller.ts` there), written down here
 * for the document; they belong in @orderhub/contracts once a second consumer appears.
 */
const RowStatusSchema = z.enum(['imported', 'duplicate', 'error']);
const CountsSchema = z.object({ imported: z.number().int(), duplicate: z.number().int(), error: z.number().int() });

const ImportJobSchema = z.object({
  jobId: z.string(),
  connectionId: z.string(),
  skipDuplicates: z.boolean(),
  fileName: z.string().optional(),
  bytes: z.number().int().describe('Size of the uploaded file'),
  format: z.enum(['csv', 'xlsx']).optional(),
  encoding: z.string().optional().describe('Detected text encoding (CSV)'),
  separator: z.string().optional().describe('Detected separator (CSV)'),
  locale: z.string().optional().describe('Jimdo export language recognised from the header row'),
  state: z.enum(['running', 'completed', 'failed']),
  error: z.string().optional().describe('Why the job failed as a whole (e.g. no header row)'),
  rowsProcessed: z.number().int(),
  rows: CountsSchema.describe('Rows (one per ordered article) by outcome'),
  orders: CountsSchema.describe('Orders by outcome; an order with a broken row is not imported at all'),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
});
const ImportRowSchema = z.object({
  row: z.number().int().describe('Line of the record in the file (its first line)'),
  status: RowStatusSchema,
  orderNumber: z.string().optional(),
  reason: z.string().optional(),
});

const ImportJobStarted = named('ImportJobStarted', ImportJobSchema);
const ImportJob = named(
  'ImportJob',
  ImportJobSchema.extend({
    errors: z.array(ImportRowSchema.omit({ status: true })).describe('The first 100 error rows; all of them via /rows'),
  }),
);
const ImportRowPage = named(
  'ImportRowPage',
  z.object({
    items: z.array(ImportRowSchema),
    nextAfterRow: z.number().int().optional().describe('Pass as `afterRow` for the next page'),
  }),
);

const UploadQuery = z.object({
  connectionId: IdParam.describe('The jimdo connection the orders belong to'),
  skipDuplicates: z
    .enum(['true', 'false'])
    .default('true')
    .describe('Report orders already imported for this connection as duplicates instead of importing them again'),
});
const JobParams = z.object({ jobId: IdParam.describe('Import job id') });
const RowsQuery = z.object({
  status: RowStatusSchema.optional().describe('Only rows with this outcome'),
  afterRow: z.coerce.number().int().min(0).optional().describe('Rows after this row number (paging)'),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

const uploadCsv = defineRoute({
  operationId: 'uploadOrderImport',
  method: 'POST',
  path: '/imports/csv',
  tag: 'Imports',
  summary: 'Import a Jimdo order export (CSV or XLSX, JIM-5); answers 202 with the job, processing continues',
  description:
    'Send the file as `multipart/form-data` (field `file`) or as the raw body (`text/csv`, or the .xlsx media type). ' +
    'The file is streamed (up to IMPORT_MAX_BYTES, 200 MB by default), never buffered. Poll `GET /api/v1/imports/{jobId}` ' +
    'until `state` is no longer `running`. 404 when the connection is not a jimdo connection of the account.',
  query: UploadQuery,
  stream: {
    required: true,
    content: {
      'multipart/form-data': named(
        'ImportUploadForm',
        z.object({ file: z.file().describe('The export file (CSV or XLSX); the first file field is used') }),
      ),
      'text/csv': named('ImportCsvFile', z.string().describe('The CSV export as exported by Jimdo (encoding and separator are detected)')),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': named(
        'ImportXlsxFile',
        z.file().describe('The export saved as an Excel workbook (first sheet)'),
      ),
    },
  },
  response: { status: 202, description: 'The job was created; `Location` points at it', schema: ImportJobStarted },
  problems: [404],
  async handle(ctx) {
    const query = new URLSearchParams({ connectionId: ctx.query.connectionId, skipDuplicates: ctx.query.skipDuplicates });
    return uploadToMailIngest(ctx, `/imports/csv?${query.toString()}`);
  },
});

const getImport = defineRoute({
  operationId: 'getOrderImport',
  method: 'GET',
  path: '/imports/{jobId}',
  tag: 'Imports',
  summary: 'Progress and counters of an import job, with the first error rows',
  params: JobParams,
  response: { status: 200, description: 'The job', schema: ImportJob },
  problems: [404],
  async handle(ctx) {
    return readFromMailIngest(ctx, 'GET /imports/{jobId}', `/imports/${encodeURIComponent(ctx.params.jobId)}`);
  },
});

const listImportRows = defineRoute({
  operationId: 'listOrderImportRows',
  method: 'GET',
  path: '/imports/{jobId}/rows',
  tag: 'Imports',
  summary: 'The result of every row of an import job, paged by row number',
  params: JobParams,
  query: RowsQuery,
  response: { status: 200, description: 'A page of row results', schema: ImportRowPage },
  problems: [404],
  async handle(ctx) {
    const query = new URLSearchParams({ limit: String(ctx.query.limit) });
    if (ctx.query.status) query.set('status', ctx.query.status);
    if (ctx.query.afterRow !== undefined) query.set('afterRow', String(ctx.query.afterRow));
    return readFromMailIngest(
      ctx,
      'GET /imports/{jobId}/rows',
      `/imports/${encodeURIComponent(ctx.params.jobId)}/rows?${query.toString()}`,
    );
  },
});

export const importRoutes = [uploadCsv, getImport, listImportRows];
