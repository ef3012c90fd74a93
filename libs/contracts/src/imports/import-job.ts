import { z } from 'zod';

/**
 * JIM-5 / CONN-3 file import jobs, served by mail-ingest's HTTP API (`/imports/...`) and proxied by
 * the gateway: the job, its per-row results and the query parameters of both.
 */
export const ImportRowStatusSchema = z.enum(['imported', 'duplicate', 'error']);
export type ImportRowStatus = z.infer<typeof ImportRowStatusSchema>;

const CountsSchema = z.object({ imported: z.number().int(), duplicate: z.number().int(), error: z.number().int() });

export const ImportJobSchema = z.object({
  jobId: z.string(),
  connectionId: z.string(),
  skipDuplicates: z.boolean(),
  fileName: z.string().optional(),
  bytes: z.number().int().describe('Size of the uploaded file'),
  format: z.enum(['csv', 'xlsx']).optional(),
  encoding: z.string().optional().describe('Detected text encoding (CSV)'),
  separator: z.string().optional().describe('Detected separator (CSV)'),
  locale: z.string().optional().describe('Jimdo export language recognised from the header row'),
  state: z
    .enum(['running', 'completed', 'failed'])
    .describe('`completed` once the orders service has stored every imported order, not when the last row is read'),
  error: z.string().optional().describe('Why the job failed as a whole (e.g. no header row)'),
  rowsProcessed: z.number().int(),
  rows: CountsSchema.describe('Rows (one per ordered article) by outcome'),
  orders: CountsSchema.describe('Orders by outcome; an order with a broken row is not imported at all'),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
});
export type ImportJob = z.infer<typeof ImportJobSchema>;

export const ImportRowSchema = z.object({
  row: z.number().int().describe('Line of the record in the file (its first line)'),
  status: ImportRowStatusSchema,
  orderNumber: z.string().optional(),
  reason: z.string().optional(),
  warning: z
    .string()
    .optional()
    .describe('Something was changed on the way in, e.g. a cell over 1 000 characters was cut (the row still imported)'),
});

export type ImportRow = z.infer<typeof ImportRowSchema>;

export const ImportJobDetailSchema = ImportJobSchema.extend({
  errors: z.array(ImportRowSchema.omit({ status: true })).describe('The first 100 error rows; all of them via /rows'),
});

export const ImportRowPageSchema = z.object({
  items: z.array(ImportRowSchema),
  nextAfterRow: z.number().int().optional().describe('Pass as `afterRow` for the next page'),
});

export const ImportUploadQuerySchema = z.object({
  connectionId: z.string().min(1).max(100).describe('The jimdo connection the orders belong to'),
  skipDuplicates: z
    .enum(['true', 'false'])
    .default('true')
    .describe('Report orders already imported for this connection as duplicates instead of importing them again'),
});

export const ImportRowsQuerySchema = z.object({
  status: ImportRowStatusSchema.optional().describe('Only rows with this outcome'),
  afterRow: z.coerce.number().int().min(0).optional().describe('Rows after this row number (paging)'),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
