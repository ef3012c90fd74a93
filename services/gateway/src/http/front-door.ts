import { randomUUID } from 'node:crypto';
import { ProblemError } from '@orderhub/contracts';
import { CORRELATION_HEADER, runInContext } from '@orderhub/platform';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { type ApiKeyAuthenticator, type Caller, keyHash } from '../auth/api-key-authenticator';
import type { TokenBuckets } from '../auth/token-bucket';
import { API_PREFIX, type RouteTable } from '../routes/registry';
import { mediaType, type RouteDef } from '../routes/route';
import { problems, publicProblem, sendProblem } from './problem';

/** What the front door hands to the dispatcher in `res.locals`. */
export interface ApiLocals {
  correlationId: string;
  caller?: Caller;
  route?: RouteDef;
  params?: Record<string, string>;
}

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export interface FrontDoorDeps {
  authenticator: ApiKeyAuthenticator;
  buckets: TokenBuckets;
  routes: RouteTable;
  bodyLimitBytes: number;
  logger: Logger;
}

/** Content-Length > 0 or chunked: `Content-Length: 0` (what fetch sends for an empty POST) is no body. */
function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length'] ?? '0');
  return Number.isFinite(length) && length > 0;
}

function isJson(contentType: string | undefined): boolean {
  const type = mediaType(contentType);
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

interface BodyParserError {
  type?: string;
  status?: number;
}

/**
 * Everything that happens before a route handler, in the order that keeps the orders service
 * cheap to protect: correlation id → API key present → rate limit (per key hash, before any RPC) →
 * key check → route match (404/405) → content type (415) → body (413/400).
 * It is plain express middleware mounted ahead of Nest's own body parsers (see GatewayHttpSetup):
 * our parser enforces BODY_LIMIT_BYTES and answers problems instead of Nest's defaults.
 */
export function createFrontDoor(deps: FrontDoorDeps): RequestHandler {
  const jsonBody = express.json({ limit: deps.bodyLimitBytes, type: () => true, strict: true });

  // named jsonParser so Nest's registerParserMiddleware sees a JSON parser in place and adds none of its own
  return function jsonParser(req: Request, res: Response, next: NextFunction): void {
    const incoming = req.header(CORRELATION_HEADER);
    const correlationId = incoming && CORRELATION_ID.test(incoming) ? incoming : randomUUID();
    const locals = res.locals as ApiLocals;
    locals.correlationId = correlationId;
    res.setHeader(CORRELATION_HEADER, correlationId);
    const isApi = req.path === API_PREFIX || req.path.startsWith(`${API_PREFIX}/`);
    if (!isApi) {
      runInContext({ correlationId }, () => next());
      return;
    }
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      deps.logger.info(
        {
          correlationId,
          accountId: locals.caller?.accountId,
          method: req.method,
          route: locals.route ? `${API_PREFIX}${locals.route.path}` : undefined,
          status: res.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'http request',
      );
    });
    runInContext({ correlationId }, () => {
      admit(req, res, locals).then(
        (admitted) => {
          if (!admitted) return;
          runInContext({ correlationId, accountId: locals.caller?.accountId }, () => readBody(req, res, locals, next));
        },
        (err: unknown) => {
          if (err instanceof ProblemError) sendProblem(res, publicProblem(err.problem));
          else {
            deps.logger.error({ err, correlationId }, 'front door failed');
            sendProblem(res, problems.internal());
          }
        },
      );
    });
  };

  async function admit(req: Request, res: Response, locals: ApiLocals): Promise<boolean> {
    const authorization = req.header('authorization') ?? '';
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const challenge = { 'WWW-Authenticate': 'Bearer realm="orderhub"' };
    if (!bearer) {
      sendProblem(res, problems.unauthorized('Send the API key as `Authorization: Bearer <key>`'), challenge);
      return false;
    }
    const apiKey = bearer[1] as string;
    const hash = keyHash(apiKey);
    const take = deps.buckets.take(hash);
    if (!take.allowed) {
      sendProblem(res, problems.rateLimited(), { 'Retry-After': String(take.retryAfterSeconds) });
      return false;
    }
    const caller = await deps.authenticator.authenticate(apiKey, hash);
    if (!caller) {
      sendProblem(res, problems.unauthorized('The API key is unknown or revoked'), challenge);
      return false;
    }
    locals.caller = caller;
    const path = req.path.slice(API_PREFIX.length) || '/';
    const match = deps.routes.match(req.method, path);
    if (!match) {
      sendProblem(res, problems.notFound(`There is no route ${req.method} ${req.path}`));
      return false;
    }
    if ('allowed' in match) {
      sendProblem(res, problems.methodNotAllowed(`${req.method} is not allowed on ${req.path}`), { Allow: match.allowed.join(', ') });
      return false;
    }
    locals.route = match.route;
    locals.params = match.params;
    return true;
  }

  function readBody(req: Request, res: Response, locals: ApiLocals, next: NextFunction): void {
    const route = locals.route as RouteDef;
    if (!WRITE_METHODS.has(req.method) || !hasBody(req)) {
      next();
      return;
    }
    if (route.stream) {
      // a file the handler pipes on: leave the stream unread (no BODY_LIMIT_BYTES, no buffering)
      const accepted = Object.keys(route.stream.content);
      if (!accepted.includes(mediaType(req.headers['content-type']))) {
        sendProblem(res, problems.unsupportedMediaType(`Send the file as one of: ${accepted.join(', ')}`));
        return;
      }
      next();
      return;
    }
    if (!isJson(req.headers['content-type'])) {
      sendProblem(res, problems.unsupportedMediaType('Send the request body as application/json'));
      return;
    }
    jsonBody(req, res, (err?: unknown) => {
      if (!err) {
        next();
        return;
      }
      const e = err as BodyParserError;
      if (e.type === 'entity.too.large' || e.status === 413) sendProblem(res, problems.tooLarge(deps.bodyLimitBytes));
      else if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported' || e.status === 415)
        sendProblem(res, problems.unsupportedMediaType('Unsupported body encoding or charset'));
      else if (e.type === 'entity.parse.failed') sendProblem(res, problems.malformed('The body is not valid JSON (an object or array)'));
      else sendProblem(res, problems.malformed('The request body could not be read'));
    });
  }
}
