import { randomUUID } from 'node:crypto';
import { CORRELATION_HEADER, currentContext, runInContext } from '@orderhub/platform';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * First middleware of every request: the correlation id (the client's, or a new one) in the answer
 * header and in the log context, and one log line per API request with account, route and status.
 */
export function requestContext(logger: Logger, apiPrefix: string): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.header(CORRELATION_HEADER);
    const correlationId = incoming && CORRELATION_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader(CORRELATION_HEADER, correlationId);
    runInContext({ correlationId }, () => {
      if (req.path === apiPrefix || req.path.startsWith(`${apiPrefix}/`)) {
        const context = currentContext();
        const started = process.hrtime.bigint();
        res.on('finish', () => {
          const route = (req.route as { path?: string } | undefined)?.path;
          logger.info(
            {
              correlationId,
              accountId: context?.accountId,
              method: req.method,
              route,
              status: res.statusCode,
              durationMs: Number(process.hrtime.bigint() - started) / 1e6,
            },
            'http request',
          );
        });
      }
      next();
    });
  };
}
