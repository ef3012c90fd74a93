import { createHash } from 'node:crypto';
import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, type OnModuleInit } from '@nestjs/common';
import { Kvm, type KV } from '@nats-io/kv';
import { ProblemError, type Problem } from '@orderhub/contracts';
import { NatsClient } from '@orderhub/platform';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, type Observable, of } from 'rxjs';
import type { Caller } from '../auth/api-key-authenticator';
import { OutcomeUnknown } from './outcome-unknown';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const BUCKET = 'gateway_idempotency';
const KEEP_MS = 24 * 60 * 60 * 1000;

/** What a key remembers: the first answer, or that the request is running, or that its outcome is unknown. */
type Remembered =
  | { state: 'running'; fingerprint: string }
  | { state: 'answered'; fingerprint: string; status: number; body: unknown; location?: string }
  | { state: 'refused'; fingerprint: string; problem: Problem }
  | { state: 'unknown'; fingerprint: string; resource: string };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * `Idempotency-Key` on a POST: the same key (per account, 24 h, in a NATS KV bucket shared by every
 * replica) gets the first answer again instead of doing the request twice. A second request while the
 * first runs is a 409; the same key with another request is a 422.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor, OnModuleInit {
  private kv?: KV;

  constructor(@Inject(NatsClient) private readonly nats: NatsClient) {}

  async onModuleInit(): Promise<void> {
    this.kv = await new Kvm(this.nats.nc).create(this.nats.names.bucket(BUCKET), { history: 1, ttl: KEEP_MS });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request & { caller?: Caller }>();
    const res = context.switchToHttp().getResponse<Response>();
    const key = req.header(IDEMPOTENCY_HEADER);
    if (req.method !== 'POST' || key === undefined || !req.caller || !this.kv) return next.handle();
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw ProblemError.validation([{ path: 'header.Idempotency-Key', message: '1 to 255 visible ASCII characters' }]);
    }
    const kv = this.kv;
    const id = `${req.caller.accountId}.${sha256(key)}`;
    const fingerprint = sha256(`${req.method} ${req.originalUrl} ${JSON.stringify(req.body ?? null)}`);
    const remember = (value: Remembered) => kv.put(id, JSON.stringify(value));
    return from(this.claim(kv, id, fingerprint)).pipe(
      mergeMap((earlier) => {
        if (earlier) return of(replay(earlier, fingerprint, res));
        return next.handle().pipe(
          mergeMap(async (body: unknown) => {
            const location = res.getHeader('location');
            await remember({
              state: 'answered',
              fingerprint,
              status: res.statusCode,
              body,
              ...(typeof location === 'string' ? { location } : {}),
            });
            return body;
          }),
          catchError(async (err: unknown) => {
            if (err instanceof OutcomeUnknown) await remember({ state: 'unknown', fingerprint, resource: err.resource });
            else if (err instanceof ProblemError && err.problem.status < 500)
              await remember({ state: 'refused', fingerprint, problem: err.problem });
            else await kv.delete(id); // not done: the same key may try again
            throw err;
          }),
        );
      }),
    );
  }

  /** Takes the key for this request; what an earlier request with it left, if there was one. */
  private async claim(kv: KV, id: string, fingerprint: string): Promise<Remembered | undefined> {
    try {
      await kv.create(id, JSON.stringify({ state: 'running', fingerprint } satisfies Remembered));
      return undefined;
    } catch {
      const entry = await kv.get(id);
      if (!entry || entry.operation !== 'PUT') {
        // deleted meanwhile (a failed attempt): this request goes ahead
        await kv.put(id, JSON.stringify({ state: 'running', fingerprint } satisfies Remembered));
        return undefined;
      }
      return entry.json<Remembered>();
    }
  }
}

function replay(earlier: Remembered, fingerprint: string, res: Response): unknown {
  if (earlier.fingerprint !== fingerprint) {
    throw new ProblemError({
      type: 'https://orderhub.dev/problems/idempotency-key-reused',
      title: 'Idempotency-Key reused',
      status: 422,
      detail: 'This Idempotency-Key was used for another request',
    });
  }
  res.setHeader('Idempotent-Replayed', 'true');
  switch (earlier.state) {
    case 'running':
      throw ProblemError.conflict('A request with this Idempotency-Key is still running');
    case 'refused':
      throw new ProblemError(earlier.problem);
    case 'unknown':
      throw new OutcomeUnknown(earlier.resource);
    case 'answered':
      res.status(earlier.status);
      if (earlier.location) res.location(earlier.location);
      return earlier.body;
  }
}
