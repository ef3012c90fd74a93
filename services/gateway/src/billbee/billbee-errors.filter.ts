import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { billbeeError, type BillbeeErrorCodeName, ProblemError } from '@orderhub/contracts';
import type { Response } from 'express';

const CODE_BY_STATUS: Record<number, BillbeeErrorCodeName> = {
  400: 'InvalidRequest',
  401: 'Unauthorized',
  403: 'AccessDenied',
  404: 'NotFoundError',
  409: 'OrderReadonlyError',
  422: 'GeneralError',
  429: 'ThrottledError',
};

/**
 * Errors of the Billbee face in Billbee's envelope (`ErrorMessage`, `ErrorCode`, `ErrorDescription`)
 * instead of problem+json; the HTTP status stays what the problem says (clients treat non-2xx as errors).
 */
@Catch()
export class BillbeeErrorsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let status = 500;
    let message = 'Internal error';
    if (exception instanceof ProblemError) {
      status = exception.problem.status;
      const rule = exception.problem.ruleId ? `${exception.problem.ruleId}: ` : '';
      const fields = exception.problem.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
      message = `${rule}${exception.problem.detail ?? exception.problem.title}${fields ? ` (${fields})` : ''}`;
      const headers = (exception as { headers?: Record<string, string> }).headers;
      for (const [name, value] of Object.entries(headers ?? {})) if (name.toLowerCase() !== 'www-authenticate') res.setHeader(name, value);
      if (status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="billbee"');
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      message = exception.message;
    }
    const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'ServerError' : 'GeneralError');
    res.status(status).json(billbeeError(code, message));
  }
}
