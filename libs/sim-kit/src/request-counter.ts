import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Counts calls per "METHOD path" so tests can assert that a write-back reached the channel exactly once. */
export class RequestCounter {
  private readonly counts = new Map<string, number>();

  middleware(): RequestHandler {
    return (req: Request, _res: Response, next: NextFunction) => {
      if (!req.path.startsWith('/_admin')) {
        const key = `${req.method} ${req.path}`;
        this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      }
      next();
    };
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  reset(): void {
    this.counts.clear();
  }
}
