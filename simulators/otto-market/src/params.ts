import type { Request } from 'express';

/** A named path parameter as a string (express types can't infer names once a middleware sits in front). */
export function pathParam(req: Request, name: string): string {
  const value: unknown = req.params[name];
  return typeof value === 'string' ? value : '';
}
