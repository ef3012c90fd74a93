import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Transform } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { type Problem, ProblemError, ProblemSchema, ProblemTypes } from '@orderhub/contracts';
import { CORRELATION_HEADER, currentContext, HttpStatusError, OutboundHttp, SERVICE_CONFIG } from '@orderhub/platform';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Caller } from '../auth/api-key-authenticator';
import type { GatewayConfig } from '../config';
import { problems } from '../http/problem';
import { lingerOnUnreadBody } from '../http/unread-body';

/** mail-ingest trusts this header (it is not reachable from outside): only the gateway sets it. */
export const ACCOUNT_HEADER = 'X-Account-Id';
/** Breaker and metric target of every mail-ingest call. */
const TARGET = 'mail-ingest';
/** mail-ingest answers small JSON documents (a job, a page of rows); anything bigger is a fault. */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

class UploadTooLarge extends Error {}

/** A 2xx answer of mail-ingest: its body (checked against the contract) and where the new resource is. */
interface Answer<T> {
  body: T;
  location?: string;
}

function upstreamHeaders(caller: Caller): Record<string, string> {
  // built from scratch: nothing the client sent (least of all an X-Account-Id) reaches mail-ingest unchecked
  const headers: Record<string, string> = { [ACCOUNT_HEADER]: caller.accountId, accept: 'application/json' };
  const correlationId = currentContext()?.correlationId;
  if (correlationId) headers[CORRELATION_HEADER] = correlationId;
  return headers;
}

const unavailable = () => new ProblemError(problems.unavailable('The import service (mail-ingest) did not answer; try again shortly'));

/** mail-ingest's import API (JIM-5): reads through OutboundHttp, uploads streamed through node:http. */
@Injectable()
export class MailIngestClient {
  constructor(
    @Inject(OutboundHttp) private readonly http: OutboundHttp,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * GET on mail-ingest through OutboundHttp (breaker `http:mail-ingest`, latency metric): the answers
   * are small JSON documents, so the platform client's buffering is fine here.
   */
  async read<S extends z.ZodType>(caller: Caller, endpoint: string, pathAndQuery: string, schema: S): Promise<z.output<S>> {
    let res: Awaited<ReturnType<OutboundHttp['request']>>;
    try {
      res = await this.http.request(TARGET, {
        endpoint,
        url: new URL(pathAndQuery, this.config.MAIL_INGEST_URL).toString(),
        init: { method: 'GET', headers: upstreamHeaders(caller) },
        timeoutMs: this.config.MAIL_INGEST_TIMEOUT_MS,
      });
    } catch (err) {
      if (err instanceof HttpStatusError) throw new ProblemError(problemOf(err.status, undefined, err.body));
      // connection refused, timeout, open breaker: mail-ingest is not there
      throw unavailable();
    }
    return answer(res.status, res.headers.get('content-type') ?? undefined, res.text, schema).body;
  }

  /**
   * Streams the request body to `POST pathAndQuery` (see uploadStream); sets `Location` on the response.
   */
  async upload<S extends z.ZodType>(caller: Caller, req: Request, res: Response, pathAndQuery: string, schema: S): Promise<z.output<S>> {
    const answered = await uploadStream({ caller, req, res, config: this.config }, pathAndQuery, schema);
    if (answered.location) res.setHeader('Location', answered.location);
    return answered.body;
  }
}

interface Ctx {
  caller: Caller;
  req: Request;
  res: Response;
  config: GatewayConfig;
}

/**
 * Pipes the upload (multipart or the raw file) to `POST /imports/csv` of mail-ingest, counting bytes
 * against IMPORT_MAX_BYTES; nothing is buffered. Not through OutboundHttp on purpose: its breaker
 * puts one deadline on the whole call (a 200 MB upload on a slow line would time out while healthy),
 * a rejected or retried call could not replay a request stream that was already consumed, and it
 * uses fetch, whose streamed request bodies have no idle timeout. node:http gives us a socket idle
 * timeout (MAIL_INGEST_TIMEOUT_MS without a byte either way) and backpressure from client to mail-ingest.
 */
async function uploadStream<S extends z.ZodType>(ctx: Ctx, pathAndQuery: string, schema: S): Promise<Answer<z.output<S>>> {
  const max = ctx.config.IMPORT_MAX_BYTES;
  const declared = Number(ctx.req.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > max) throw abandon(ctx, new ProblemError(problems.tooLarge(max)));
  if (ctx.req.headers['transfer-encoding'] === undefined && !(declared > 0)) {
    throw ProblemError.validation([{ path: 'body', message: 'Required' }], 'Send the file as the request body');
  }

  const url = new URL(pathAndQuery, ctx.config.MAIL_INGEST_URL);
  const headers: Record<string, string> = { ...upstreamHeaders(ctx.caller), 'content-type': ctx.req.headers['content-type'] ?? '' };
  if (Number.isFinite(declared)) headers['content-length'] = String(declared);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;

  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > max) callback(new UploadTooLarge());
      else callback(null, chunk);
    },
  });

  const reply = await new Promise<{ status: number; headers: IncomingHttpHeaders; text: string }>((resolve, reject) => {
    let settled = false;
    const fail = (problem: ProblemError) => {
      if (settled) return;
      settled = true;
      ctx.req.unpipe(counter);
      counter.unpipe(upstream);
      upstream.destroy();
      reject(abandon(ctx, problem));
    };
    const upstream = send(url, { method: 'POST', headers, timeout: ctx.config.MAIL_INGEST_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        resolve({ status: res.statusCode ?? 502, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', () => fail(unavailable()));
    });
    upstream.on('timeout', () => upstream.destroy(new Error('mail-ingest idle timeout')));
    upstream.on('error', () => fail(unavailable()));
    counter.on('error', (err) => fail(err instanceof UploadTooLarge ? new ProblemError(problems.tooLarge(max)) : unavailable()));
    ctx.req.on('error', () => fail(new ProblemError(problems.malformed('The upload was aborted'))));
    ctx.req.on('close', () => {
      if (!ctx.req.complete) fail(new ProblemError(problems.malformed('The upload was aborted')));
    });
    // not stream.pipeline: on an error it destroys every stream, the client's request (and socket) too,
    // and the client would never see the 413/503. mail-ingest may also answer (404, 413) before it read
    // everything: then its answer counts.
    ctx.req.pipe(counter).pipe(upstream);
  });
  return answer(reply.status, headerValue(reply.headers['content-type']), reply.text, schema, headerValue(reply.headers.location));
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** An answer before the upload was read to its end: the rest is discarded within bounds, so the client reads the problem. */
function abandon(ctx: Ctx, problem: ProblemError): ProblemError {
  lingerOnUnreadBody(ctx.req);
  return problem;
}

/** A mail-ingest answer as the gateway's: 2xx JSON checked by its contract (Location moved below /api/v1), errors as problems. */
function answer<S extends z.ZodType>(
  status: number,
  contentType: string | undefined,
  text: string,
  schema: S,
  location?: string,
): Answer<z.output<S>> {
  if (status < 200 || status >= 300) throw new ProblemError(problemOf(status, contentType, text));
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ProblemError({ type: ProblemTypes.internal, title: 'Internal error', status: 502, detail: 'mail-ingest answered no JSON' });
  }
  const body = schema.safeParse(json);
  if (!body.success) {
    throw new ProblemError({
      type: ProblemTypes.internal,
      title: 'Internal error',
      status: 502,
      detail: 'mail-ingest answered outside its contract',
    });
  }
  return { body: body.data, ...(location?.startsWith('/imports/') ? { location: `/api/v1${location}` } : {}) };
}

/** mail-ingest's problem+json as it is (status from the answer); anything else becomes one by status. */
function problemOf(status: number, contentType: string | undefined, text: string): Problem {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const problem = ProblemSchema.safeParse(parsed);
  if (problem.success && (contentType === undefined || /problem\+json|application\/json/i.test(contentType))) {
    // 401 means we did not send the account header: our fault, not the client's
    if (status === 401) return { type: ProblemTypes.internal, title: 'Internal error', status: 500 };
    return { ...problem.data, status };
  }
  if (status === 401 || status >= 500) return { type: ProblemTypes.internal, title: 'Internal error', status: status === 503 ? 503 : 500 };
  if (status === 404) return problems.notFound('Not found');
  if (status === 413) return { ...problems.tooLarge(0), detail: 'The file is larger than the import service accepts' };
  if (status === 400 || status === 422) return problems.malformed(text.slice(0, 300) || 'The upload was refused');
  return { type: 'about:blank', title: 'Refused by the import service', status, ...(text ? { detail: text.slice(0, 300) } : {}) };
}
