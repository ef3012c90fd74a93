import { ProblemError } from '@orderhub/contracts';
import { z } from 'zod';
import { problems } from '../http/problem';
import { defineRoute, named } from './route';

/**
 * Extension point for imports (JIM-5 CSV upload and later formats), owned by whoever serves
 * `rpc.imports.<kind>` (the mail-ingest service for `csv`). The gateway does no parsing: it
 * authenticates, rate-limits and forwards the raw body of any content type as
 *
 *   subject  rpc.imports.<kind>   (NATS_PREFIX applied)
 *   request  { accountId, actor, body: ImportUpload }
 *   reply    RpcReply<T>          ({ ok: true, data } → 200 with data; { ok: false, problem } → that problem)
 *
 * No responder → 503 problem. See services/gateway/README.md.
 */
export const ImportKindSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,49}$/, 'lower-case letters, digits and -')
  .describe('Import format, e.g. `csv`; routed to the RPC subject `rpc.imports.<kind>`');

export const ImportUploadSchema = z.object({
  contentType: z.string().describe('Content-Type the client sent, e.g. `text/csv` or `multipart/form-data; boundary=…`'),
  contentBase64: z.string().describe('The raw request body, base64'),
  fileName: z.string().optional().describe('From the `X-File-Name` header, if given'),
  query: z.record(z.string(), z.union([z.string(), z.array(z.string())])).describe('Query parameters of the upload, as sent'),
});
export type ImportUpload = z.infer<typeof ImportUploadSchema>;

const importUpload = defineRoute({
  operationId: 'uploadImport',
  method: 'POST',
  path: '/imports/{kind}',
  tag: 'Imports',
  summary: 'Upload a file to an importer (e.g. `csv`, JIM-5); any content type, forwarded unparsed',
  description:
    'The gateway forwards the raw body to the RPC subject `rpc.imports.<kind>` and returns what the importer answers. ' +
    '503 when no importer for that kind is running.',
  params: z.object({ kind: ImportKindSchema }),
  body: {
    ...named('ImportUploadBody', z.string().describe('The file: CSV text, multipart form data, …')),
    required: true,
    contentTypes: ['*/*'],
  },
  response: {
    status: 200,
    description: 'The importer’s answer (e.g. a per-row result)',
    schema: named('ImportResult', z.record(z.string(), z.unknown())),
  },
  problems: [404, 413, 422],
  async handle(ctx) {
    const raw: Buffer = Buffer.isBuffer(ctx.req.body) ? ctx.req.body : Buffer.alloc(0);
    const upload: ImportUpload = {
      contentType: ctx.req.headers['content-type'] ?? 'application/octet-stream',
      contentBase64: raw.toString('base64'),
      fileName: typeof ctx.req.headers['x-file-name'] === 'string' ? ctx.req.headers['x-file-name'] : undefined,
      query: ctx.req.query as ImportUpload['query'],
    };
    const request = { accountId: ctx.caller.accountId, actor: ctx.caller.actor, body: upload };
    // NATS refuses messages above its max_payload: say so as 413 instead of a transport error
    const maxPayload = ctx.nats.nc.info?.max_payload ?? 1_048_576;
    if (Buffer.byteLength(JSON.stringify(request)) > maxPayload - 4096) {
      throw new ProblemError(problems.tooLarge(Math.floor(((maxPayload - 8192) * 3) / 4)));
    }
    const data = await ctx.rpc.call<unknown>(`rpc.imports.${ctx.params.kind}`, request, ctx.config.RPC_TIMEOUT_MS);
    return { body: data ?? {} };
  },
});

export const importRoutes = [importUpload];
