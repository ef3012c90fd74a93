import { type Problem, ProblemTypes } from '@orderhub/contracts';
import type { Response } from 'express';
import type { ZodError } from 'zod';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Writes an RFC 9457 problem; every error answer of the gateway goes through here. */
export function sendProblem(res: Response, problem: Problem, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

/** Zod issues as problem fields, prefixed with where the value came from (`body.`, `query.`, `path.`). */
export function validationProblem(where: string, error: ZodError): Problem {
  return {
    type: ProblemTypes.validation,
    title: 'Invalid request',
    status: 400,
    detail: `The request ${where === 'path' ? 'path' : where} is invalid`,
    errors: error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message })),
  };
}

export const problems = {
  unauthorized: (detail: string): Problem => ({ type: ProblemTypes.unauthorized, title: 'Unauthorized', status: 401, detail }),
  forbidden: (detail: string): Problem => ({ type: ProblemTypes.forbidden, title: 'Forbidden', status: 403, detail }),
  notFound: (detail: string): Problem => ({ type: ProblemTypes.notFound, title: 'Not found', status: 404, detail }),
  methodNotAllowed: (detail: string): Problem => ({
    type: 'https://orderhub.dev/problems/method-not-allowed',
    title: 'Method not allowed',
    status: 405,
    detail,
  }),
  tooLarge: (limit: number): Problem => ({
    type: 'https://orderhub.dev/problems/payload-too-large',
    title: 'Payload too large',
    status: 413,
    detail: `The request body exceeds ${limit} bytes`,
  }),
  unsupportedMediaType: (detail: string): Problem => ({
    type: 'https://orderhub.dev/problems/unsupported-media-type',
    title: 'Unsupported media type',
    status: 415,
    detail,
  }),
  malformed: (detail: string): Problem => ({ type: ProblemTypes.validation, title: 'Invalid request', status: 400, detail }),
  rateLimited: (detail: string): Problem => ({ type: ProblemTypes.rateLimited, title: 'Too many requests', status: 429, detail }),
  unavailable: (detail: string): Problem => ({ type: ProblemTypes.unavailable, title: 'Service unavailable', status: 503, detail }),
  /** Never carries internals: the correlation id in the header is what support needs. */
  internal: (): Problem => ({ type: ProblemTypes.internal, title: 'Internal error', status: 500 }),
};

/** 5xx answers from behind the gateway must not leak their detail; 503 keeps its meaning. */
export function publicProblem(problem: Problem): Problem {
  if (problem.status === 503) return problems.unavailable('A backing service did not answer; try again shortly');
  if (problem.status >= 500) return problems.internal();
  return problem;
}
