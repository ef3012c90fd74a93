import { ProblemSchema } from '@orderhub/contracts';
import { z } from 'zod';
import { API_PREFIX, ROUTES } from '../routes/registry';
import type { RouteDef } from '../routes/route';

type JsonSchema = Record<string, unknown>;

const COMPONENT_REF = (id: string) => `#/components/schemas/${id}`;
const PROBLEM_TITLES: Record<number, string> = {
  400: 'Invalid request: `errors` lists the failing fields',
  401: 'Missing, unknown or revoked API key',
  404: 'Not found (also for resources of another account)',
  405: 'Method not allowed on this path',
  409: 'State conflict',
  413: 'Body larger than the configured limit (BODY_LIMIT_BYTES; IMPORT_MAX_BYTES for uploads)',
  415: 'Body is not of an accepted content type (application/json unless the route says otherwise)',
  422: 'Refused by a channel rule: `ruleId` names the rule (e.g. OTTO-2)',
  429: 'Rate limit of the API key exhausted; see Retry-After',
  503: 'A backing service (orders, the connector, mail-ingest) did not answer',
};
/** Every authenticated route can answer these. */
const COMMON_PROBLEMS = [400, 401, 429, 503];

/** JSON Schema of named schemas as components; `$id`/`$schema` dropped (OpenAPI keeps them in one document). */
function components(entries: { id: string; schema: z.ZodType }[], io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const e of entries) if (!registry.has(e.schema)) registry.add(e.schema, { id: e.id });
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', io, uri: COMPONENT_REF, unrepresentable: 'any' });
  const out: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $id: _id, $schema: _schema, ...rest } = schema as JsonSchema;
    out[id] = rest;
  }
  return out;
}

function inline(schema: z.ZodType): JsonSchema {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** Path and query parameters from the entry's object schemas (input side: what the client sends). */
function parameters(route: RouteDef): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const json = inline(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, prop] of Object.entries(json.properties ?? {})) {
      const { description, ...propSchema } = prop;
      out.push({
        name,
        in: where,
        required: where === 'path' || (json.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: propSchema,
        ...(propSchema.anyOf ? { style: 'form', explode: true } : {}),
      });
    }
  }
  return out;
}

function operation(route: RouteDef): JsonSchema {
  const responses: Record<string, JsonSchema> = {
    [String(route.response.status)]: {
      description: route.response.description,
      ...(route.response.schema ? { content: { 'application/json': { schema: { $ref: COMPONENT_REF(route.response.schema.id) } } } } : {}),
    },
  };
  const statuses = [...new Set([...COMMON_PROBLEMS, ...route.problems, ...(route.body || route.stream ? [413, 415] : [])])].sort();
  for (const status of statuses) {
    responses[String(status)] = {
      description: PROBLEM_TITLES[status] ?? 'Problem',
      ...(status === 429 ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } } : {}),
      content: { 'application/problem+json': { schema: { $ref: COMPONENT_REF('Problem') } } },
    };
  }
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    parameters: parameters(route),
    ...(route.body
      ? {
          requestBody: {
            required: route.body.required,
            content: { 'application/json': { schema: { $ref: COMPONENT_REF(route.body.id) } } },
          },
        }
      : {}),
    ...(route.stream
      ? {
          requestBody: {
            required: route.stream.required,
            content: Object.fromEntries(
              Object.entries(route.stream.content).map(([type, s]) => [type, { schema: { $ref: COMPONENT_REF(s.id) } }]),
            ),
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document, generated from the route registry that also drives the dispatcher. */
export function buildOpenApi(routes: readonly RouteDef[] = ROUTES): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    (paths[`${API_PREFIX}${route.path}`] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  const requestSchemas = routes.flatMap((r) => [
    ...(r.body ? [{ id: r.body.id, schema: r.body.schema }] : []),
    ...Object.values(r.stream?.content ?? {}),
  ]);
  const responseSchemas = routes.flatMap((r) => (r.response.schema ? [r.response.schema] : []));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Order Hub API',
      version: '1.0.0',
      description:
        'Multichannel order hub. Authenticate with `Authorization: Bearer <api key>`. Errors are RFC 9457 ' +
        '`application/problem+json`. Every response carries `X-Correlation-Id` (send your own to trace a call).',
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'The API key of the account' } },
      schemas: {
        ...components(requestSchemas, 'input'),
        ...components([...responseSchemas, { id: 'Problem', schema: ProblemSchema }], 'output'),
      },
    },
  };
}
