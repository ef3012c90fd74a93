import type { Response } from 'express';

/** OTTO's error item: `path` and `title` are always present, the rest depends on the interface. */
export interface OttoError {
  path: string;
  title: string;
  detail?: string;
  jsonPath?: string;
  code?: number;
  logref?: string;
}

/** Sends OTTO's `{ errors: [...] }` envelope (the format shared by orders, shipments and availability). */
export function sendErrors(res: Response, status: number, errors: OttoError[]): void {
  res.status(status).type('application/json;charset=utf-8').send(JSON.stringify({ errors }));
}

export function sendError(res: Response, status: number, path: string, title: string, detail?: string, jsonPath?: string): void {
  sendErrors(res, status, [{ path, title, ...(detail ? { detail } : {}), ...(jsonPath ? { jsonPath } : {}) }]);
}

/** Converts zod issues to OTTO errors; missing properties get OTTO's PROPERTY_IS_MANDATORY title. */
export function zodIssuesToErrors(
  path: string,
  issues: readonly { code: string; path: readonly PropertyKey[]; message: string; input?: unknown }[],
): OttoError[] {
  return issues.map((issue) => {
    const jsonPath = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    return {
      path,
      title: missing ? 'PROPERTY_IS_MANDATORY' : 'PROPERTY_IS_INVALID',
      detail: issue.message,
      ...(jsonPath ? { jsonPath } : {}),
    };
  });
}
