import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';

/** What a simulator does wrong on purpose, set through its admin API so tests can make a real API misbehave. */
export const FaultPlanSchema = z.object({
  /** Only requests whose path starts with this are affected (default: all non-admin paths). */
  pathPrefix: z.string().default('/'),
  /** Answer this many next requests with `errorStatus` (a 5xx phase, or a 429 burst). */
  failNext: z.number().int().min(0).default(0),
  errorStatus: z.number().int().min(400).max(599).default(503),
  /** Probability (0..1) that any request fails with `errorStatus`. */
  errorRate: z.number().min(0).max(1).default(0),
  /** Added delay before answering, e.g. beyond a client's timeout to simulate a stall. */
  latencyMs: z.number().int().min(0).max(120_000).default(0),
  /** Answer this many next requests with a truncated, unparsable JSON body and status 200. */
  malformedNext: z.number().int().min(0).default(0),
});
export type FaultPlan = z.infer<typeof FaultPlanSchema>;

export class FaultInjector {
  private plan: FaultPlan = FaultPlanSchema.parse({});

  set(plan: Partial<FaultPlan>): FaultPlan {
    this.plan = FaultPlanSchema.parse(plan);
    return this.plan;
  }

  clear(): void {
    this.plan = FaultPlanSchema.parse({});
  }

  current(): FaultPlan {
    return { ...this.plan };
  }

  middleware(random: () => number = Math.random): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const plan = this.plan;
      if (req.path.startsWith('/_admin') || !req.path.startsWith(plan.pathPrefix)) return next();
      const act = () => {
        if (plan.failNext > 0) {
          plan.failNext -= 1;
          return fail(res, plan.errorStatus);
        }
        if (plan.errorRate > 0 && random() < plan.errorRate) return fail(res, plan.errorStatus);
        if (plan.malformedNext > 0) {
          plan.malformedNext -= 1;
          res.status(200).type('application/json').send('{"resources": [ {"broken": ');
          return;
        }
        next();
      };
      if (plan.latencyMs > 0) setTimeout(act, plan.latencyMs).unref();
      else act();
    };
  }
}

function fail(res: Response, status: number): void {
  if (status === 429) res.setHeader('Retry-After', '1');
  res.status(status).type('text/plain').send(`simulated fault ${status}`);
}
