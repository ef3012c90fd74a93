import { ProblemError, ProblemTypes, type Problem, type RpcReply } from '@orderhub/contracts';
import { ZodError } from 'zod';

/** Turns what a handler threw into a problem the caller can show; unknown errors become a bare 500. */
export function problemFromError(err: unknown): Problem {
  if (err instanceof ProblemError) return err.problem;
  if (err instanceof ZodError) {
    return {
      type: ProblemTypes.validation,
      title: 'Invalid request',
      status: 400,
      detail: 'The request is invalid',
      errors: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    };
  }
  return { type: ProblemTypes.internal, title: 'Internal error', status: 500 };
}

export function okReply<T>(data: T): RpcReply<T> {
  return { ok: true, data };
}

export function errorReply(err: unknown): RpcReply<never> {
  return { ok: false, problem: problemFromError(err) };
}
