import { z } from 'zod';

/** RFC 9457 problem details; the gateway returns them as `application/problem+json`. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  /** Seed rule a refusal is based on (e.g. OTTO-2), for 422 channel-rule refusals. */
  ruleId: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const ProblemTypes = {
  validation: 'https://orderhub.dev/problems/validation',
  unauthorized: 'https://orderhub.dev/problems/unauthorized',
  forbidden: 'https://orderhub.dev/problems/forbidden',
  notFound: 'https://orderhub.dev/problems/not-found',
  conflict: 'https://orderhub.dev/problems/state-conflict',
  channelRule: 'https://orderhub.dev/problems/channel-rule',
  limitExceeded: 'https://orderhub.dev/problems/limit-exceeded',
  rateLimited: 'https://orderhub.dev/problems/rate-limited',
  unavailable: 'https://orderhub.dev/problems/unavailable',
  internal: 'https://orderhub.dev/problems/internal',
} as const;

export type RpcReply<T> = { ok: true; data: T } | { ok: false; problem: Problem };

/** A domain refusal that travels over RPC and becomes an HTTP problem at the gateway. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ProblemError';
  }

  static notFound(what: string): ProblemError {
    return new ProblemError({ type: ProblemTypes.notFound, title: 'Not found', status: 404, detail: `${what} not found` });
  }

  static conflict(detail: string): ProblemError {
    return new ProblemError({ type: ProblemTypes.conflict, title: 'State conflict', status: 409, detail });
  }

  static channelRule(ruleId: string, detail: string): ProblemError {
    return new ProblemError({ type: ProblemTypes.channelRule, title: 'Refused by a channel rule', status: 422, ruleId, detail });
  }

  /** A documented limit (OrderLimits) the change would exceed; the request itself was well-formed. */
  static limitExceeded(detail: string): ProblemError {
    return new ProblemError({ type: ProblemTypes.limitExceeded, title: 'Limit exceeded', status: 422, detail });
  }

  static validation(errors: { path: string; message: string }[], detail = 'The request is invalid'): ProblemError {
    return new ProblemError({ type: ProblemTypes.validation, title: 'Invalid request', status: 400, detail, errors });
  }
}
