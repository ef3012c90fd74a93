import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { ProblemError, type Problem } from '@orderhub/contracts';
import { LOGGER } from '@orderhub/platform';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { OutcomeUnknown } from './outcome-unknown';
import { problems, publicProblem, sendProblem, validationProblem } from './problem';
import { RouteTable } from './route-table';

/** A problem plus headers that belong to it (Retry-After, WWW-Authenticate, Allow). */
interface WithHeaders {
  headers?: Record<string, string>;
}

/** Every error of every HTTP route becomes `application/problem+json`; unknown errors never show internals. */
@Catch()
export class ProblemExceptionFilter implements ExceptionFilter {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(RouteTable) private readonly routes: RouteTable,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof OutcomeUnknown) {
      if (!res.headersSent) res.status(202).location(exception.resource).json(exception.body);
      return;
    }
    const { problem, headers } = this.toProblem(exception, req);
    sendProblem(res, problem, headers);
  }

  private toProblem(exception: unknown, req: Request): { problem: Problem; headers?: Record<string, string> } {
    if (exception instanceof ProblemError) {
      if (exception.problem.status >= 500 && exception.problem.status !== 503) {
        this.logger.error({ problem: exception.problem }, 'backing service failed');
      }
      return { problem: publicProblem(exception.problem), headers: (exception as WithHeaders).headers };
    }
    if (exception instanceof ZodError) return { problem: validationProblem('value', exception) };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) {
        // Nest's router answers 404 for a known path with a wrong method too
        const allowed = this.routes.allowedMethods(req.path);
        if (allowed.length) {
          return {
            problem: problems.methodNotAllowed(`${req.method} is not allowed on ${req.path}`),
            headers: { Allow: allowed.join(', ') },
          };
        }
        return { problem: problems.notFound(`There is no route ${req.method} ${req.path}`) };
      }
      if (status < 500) return { problem: { type: 'about:blank', title: exception.message, status } };
    }
    this.logger.error({ err: exception }, 'unhandled error');
    return { problem: problems.internal() };
  }
}
