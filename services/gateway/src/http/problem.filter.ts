import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { ProblemError, type Problem, ProblemTypes } from '@orderhub/contracts';
import { LOGGER } from '@orderhub/platform';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { problems, publicProblem, sendProblem } from './problem';

/** Every error of every HTTP route becomes `application/problem+json`; unknown errors never show internals. */
@Catch()
export class ProblemExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    sendProblem(res, this.toProblem(exception, res));
  }

  private toProblem(exception: unknown, res: Response): Problem {
    if (exception instanceof ProblemError) {
      if (exception.problem.status >= 500 && exception.problem.status !== 503) {
        this.logger.error({ problem: exception.problem, correlationId: res.locals.correlationId }, 'backing service failed');
      }
      return publicProblem(exception.problem);
    }
    if (exception instanceof ZodError) {
      return {
        type: ProblemTypes.validation,
        title: 'Invalid request',
        status: 400,
        detail: 'The request is invalid',
        errors: exception.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) return problems.notFound('There is no such route');
      if (status < 500) return { type: 'about:blank', title: exception.message, status };
    }
    this.logger.error({ err: exception, correlationId: res.locals.correlationId }, 'unhandled error');
    return problems.internal();
  }
}
