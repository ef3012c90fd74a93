import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import { ProblemError } from '@orderhub/contracts';
import { NatsClient, OutboundHttp, RpcClient, runInContext, SERVICE_CONFIG } from '@orderhub/platform';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Caller } from '../auth/api-key-authenticator';
import type { GatewayConfig } from '../config';
import type { ApiLocals } from '../http/front-door';
import { problems, validationProblem } from '../http/problem';
import type { RouteDef } from './route';

function parse(where: 'body' | 'query' | 'path', schema: z.ZodType, value: unknown): unknown {
  const result = schema.safeParse(value);
  if (!result.success) throw new ProblemError(validationProblem(where, result.error));
  return result.data;
}

/**
 * Serves the route registry: the front door has authenticated, matched the route and read the body;
 * here the entry's own schemas validate path, query and body before its handler runs.
 */
@Controller()
export class ApiController {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(NatsClient) private readonly nats: NatsClient,
    @Inject(OutboundHttp) private readonly http: OutboundHttp,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @All(['api/v1', 'api/v1/*path'])
  async dispatch(@Req() req: Request, @Res() res: Response): Promise<void> {
    const locals = res.locals as ApiLocals;
    const route = locals.route as RouteDef | undefined;
    const caller = locals.caller as Caller | undefined;
    // the front door answers unmatched routes itself; this only guards against a mounting mistake
    if (!route || !caller) throw new ProblemError(problems.notFound(`There is no route ${req.method} ${req.path}`));
    const params = route.params ? parse('path', route.params, locals.params ?? {}) : {};
    const query = route.query ? parse('query', route.query, req.query) : {};
    let body: unknown = undefined;
    if (route.body) {
      if (req.body === undefined) {
        if (route.body.required) {
          throw ProblemError.validation([{ path: 'body', message: 'Required' }], 'A JSON body is required');
        }
      } else {
        body = parse('body', route.body.schema, req.body);
      }
    }
    const result = await runInContext({ correlationId: locals.correlationId, accountId: caller.accountId }, () =>
      route.handle({ params, query, body, caller, rpc: this.rpc, nats: this.nats, http: this.http, config: this.config, req, res }),
    );
    for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
    const status = result.status ?? route.response.status;
    if (status === 204 || result.body === undefined) res.status(status).end();
    else res.status(status).json(result.body);
  }
}
