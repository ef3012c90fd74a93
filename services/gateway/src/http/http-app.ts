import type { Type } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { LOGGER } from '@orderhub/platform';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config';
import { isJson } from './body-types';
import { buildApiDocument } from './openapi';
import { problems, sendProblem } from './problem';
import { requestContext } from './request-context.middleware';
import { RouteTable } from './route-table';
import { lingerOnUnreadBody } from './unread-body';
import { DEFAULT_WEB_APP_DIR, serveWebApp } from '../web/web-app';

export const API_PREFIX = '/api/v1';

/** No API shape nests deeper than a few levels; 10 000 levels would only exhaust stacks further on. */
const MAX_JSON_DEPTH = 32;

/** Nesting depth of a parsed JSON value, without recursion (the value may be arbitrarily deep). */
export function depthOf(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (current === null || typeof current !== 'object') continue;
    max = Math.max(max, depth + 1);
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return max;
}

interface BodyParserError {
  type?: string;
  status?: number;
}

/**
 * The HTTP side of the gateway before it listens: correlation id and request log first, then Nest's
 * JSON body parser with BODY_LIMIT_BYTES (its errors as problems), then the API document at
 * `/openapi.json` and Swagger UI (served from swagger-ui-dist, no CDN) at `/docs`.
 */
export function configureHttp(app: NestExpressApplication, config: GatewayConfig, apiModules: Type[]): void {
  const limit = config.BODY_LIMIT_BYTES;
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY_HOPS);
  app.use(requestContext(app.get<Logger>(LOGGER), API_PREFIX));
  // body-parser reads (and drains) a too-large body before it says 413: a declared length is refused at once
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (isJson(req.headers['content-type']) && Number(req.headers['content-length'] ?? 0) > limit) {
      lingerOnUnreadBody(req);
      sendProblem(res, problems.tooLarge(limit));
      return;
    }
    next();
  });
  app.useBodyParser('json', { limit, type: (req: Request) => isJson(req.headers['content-type']) });
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const e = err as BodyParserError;
    if (e.type === 'entity.too.large' || e.status === 413) sendProblem(res, problems.tooLarge(limit));
    else if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported' || e.status === 415)
      sendProblem(res, problems.unsupportedMediaType('Unsupported body encoding or charset'));
    else sendProblem(res, problems.malformed('The body is not valid JSON (an object or array)'));
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (depthOf(req.body) > MAX_JSON_DEPTH) sendProblem(res, problems.malformed(`The body is nested deeper than ${MAX_JSON_DEPTH} levels`));
    else next();
  });
  const document = buildApiDocument(app, apiModules);
  app.get(RouteTable).load(document.paths as Record<string, Record<string, unknown>>);
  serveWebApp(app, config.WEB_APP_DIR ?? DEFAULT_WEB_APP_DIR, app.get<Logger>(LOGGER));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', raw: ['json'], customSiteTitle: 'Order Hub API' });
}
