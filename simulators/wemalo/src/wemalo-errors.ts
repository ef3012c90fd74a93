import type { Response } from 'express';

/**
 * wemalo's apiDoc names RestError types (NOT_FOUND with a field such as `extId`, INVALID, and
 * `missingParameter` for 4xx) and success bodies carry `Success` and `status`. The exact JSON of an
 * error is not documented, so errors mirror the success shape: `{ Success: false, status, error, field, message }`.
 */
export type WemaloErrorType = 'NOT_FOUND' | 'INVALID' | 'MISSING_PARAMETER' | 'UNAUTHORIZED' | 'LIMIT' | 'DUPLICATE';

export class WemaloError extends Error {
  constructor(
    readonly status: number,
    readonly type: WemaloErrorType,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const notFound = (field: string, message: string) => new WemaloError(404, 'NOT_FOUND', message, field);
export const invalid = (field: string, message: string) => new WemaloError(400, 'INVALID', message, field);
export const missingParameter = (field: string) =>
  new WemaloError(400, 'MISSING_PARAMETER', `non optional parameter is missing: ${field}`, field);
export const duplicate = (field: string, message: string) => new WemaloError(409, 'DUPLICATE', message, field);

export function sendWemaloError(res: Response, err: WemaloError): void {
  res.status(err.status).json({
    Success: false,
    status: err.status,
    error: err.type,
    ...(err.field ? { field: err.field } : {}),
    message: err.message,
  });
}
