import type { NatsClient, OutboundHttp, RpcClient } from '@orderhub/platform';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Caller } from '../auth/api-key-authenticator';
import type { GatewayConfig } from '../config';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A named schema: the name becomes its `#/components/schemas/<id>` entry in the OpenAPI document. */
export interface NamedSchema<T extends z.ZodType = z.ZodType> {
  id: string;
  schema: T;
}
export const named = <T extends z.ZodType>(id: string, schema: T): NamedSchema<T> => ({ id, schema });

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  caller: Caller;
  rpc: RpcClient;
  nats: NatsClient;
  http: OutboundHttp;
  config: GatewayConfig;
  req: Request;
  res: Response;
}

/** What a handler returns: the status (default: the route's documented one), body and extra headers. */
export interface RouteResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * One entry of the route registry, the single source for both the HTTP handler and the OpenAPI
 * document: the dispatcher validates with exactly these schemas, the document is generated from them.
 */
export interface RouteDef {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI path template below `/api/v1`, e.g. `/orders/{id}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  params?: z.ZodType;
  query?: z.ZodType;
  /** A JSON body: read (≤ BODY_LIMIT_BYTES) and validated with this schema before the handler runs. */
  body?: NamedSchema & { required: boolean };
  /**
   * A file body the handler streams on (`ctx.req` left unread): only these media types are accepted
   * (others 415), each documented with its schema; no size limit but the handler's own.
   */
  stream?: StreamBody;
  response: { status: number; description: string; schema?: NamedSchema };
  /** Problem statuses this route can answer with besides 400/401/429/503 (documented for every route). */
  problems: number[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- typed per entry by defineRoute
  handle(ctx: RouteContext<any, any, any>): Promise<RouteResult>;
}

export interface StreamBody {
  required: boolean;
  /** Media type (without parameters) → the schema documented for it. */
  content: Record<string, NamedSchema>;
}

/** Media type of a Content-Type header, lower case, without parameters. */
export const mediaType = (contentType: string | undefined): string => contentType?.split(';')[0]?.trim().toLowerCase() ?? '';

/** Keeps the handler's parameter types tied to the schemas of the same entry. */
export function defineRoute<
  PS extends z.ZodType = z.ZodType<Record<string, never>>,
  QS extends z.ZodType = z.ZodType<Record<string, never>>,
  BS extends z.ZodType = z.ZodType<undefined>,
>(
  def: Omit<RouteDef, 'params' | 'query' | 'body' | 'handle'> & {
    params?: PS;
    query?: QS;
    body?: NamedSchema<BS> & { required: boolean };
    handle(ctx: RouteContext<z.output<PS>, z.output<QS>, z.output<BS>>): Promise<RouteResult>;
  },
): RouteDef {
  return def as unknown as RouteDef;
}

/** Ids are opaque to the gateway; this only keeps obvious garbage (and NATS wildcards) out. */
export const IdParam = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,100}$/, 'an id: letters, digits, _ and - (at most 100)')
  .describe('Resource id');
export const IdParams = z.object({ id: IdParam });

/** A page of a list; pass `nextCursor` back as `cursor` for the next page. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional().describe('Pass as `cursor` for the next page') });
