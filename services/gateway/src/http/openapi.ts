import { applyDecorators } from '@nestjs/common';
import type { INestApplication, Type } from '@nestjs/common';
import { ApiResponse, DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemSchema } from '@orderhub/contracts';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { z } from 'zod';
import { API_KEY_SCHEME } from '../auth/api-key.guard';

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
const PROBLEM_TITLES: Record<number, string> = {
  400: 'Invalid request: `errors` lists the failing fields',
  401: 'Missing, unknown or revoked API key',
  404: 'Not found (also for resources of another account)',
  409: 'State conflict',
  413: 'Body larger than the configured limit (BODY_LIMIT_BYTES; IMPORT_MAX_BYTES for uploads)',
  415: 'Body is not of an accepted content type (application/json unless the route says otherwise)',
  422: 'Refused by a channel rule: `ruleId` names the rule (e.g. OTTO-2)',
  429: 'Rate limit of the API key (or of failed authentications) exhausted; see Retry-After',
  503: 'A backing service (orders, the connector, mail-ingest) did not answer',
};

const problemResponse = (status: number) => ({
  description: PROBLEM_TITLES[status] ?? 'Problem',
  ...(status === 429 ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } } : {}),
  content: { 'application/problem+json': { schema: PROBLEM_REF } },
});

/** The problems a route can answer besides those every route can (400, 401, 429, 503, and 413/415 with a body). */
export const ApiProblems = (...statuses: number[]) =>
  applyDecorators(...statuses.map((status) => ApiResponse({ status, description: PROBLEM_TITLES[status] ?? 'Problem' })));

type Operation = { responses: Record<string, unknown>; requestBody?: unknown; security?: unknown[]; parameters?: unknown[] };

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Send the same key again (24 h, per account) to get the first answer instead of doing the request twice',
  schema: { type: 'string', maxLength: 255 },
};
const OUTCOME_UNKNOWN = {
  description: 'Accepted, outcome unknown (the orders service did not answer in time): `Location` names the resource to read',
};

/**
 * The OpenAPI 3.1 document of the controllers: DTO schemas come from the contracts' zod schemas
 * (nestjs-zod), every problem answer points at the Problem schema.
 */
export function buildApiDocument(app: INestApplication, apiModules: Type[]): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Order Hub API')
    .setVersion('1.0.0')
    .setDescription(
      'Multichannel order hub. Authenticate with `Authorization: Bearer <api key>`. Errors are RFC 9457 ' +
        '`application/problem+json`. Every response carries `X-Correlation-Id` (send your own to trace a call).',
    )
    .addServer('/')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The API key of the account' }, API_KEY_SCHEME)
    .addBasicAuth(
      {
        type: 'http',
        scheme: 'basic',
        description: 'Billbee API: user and API password of Billbee credentials, plus the X-Billbee-Api-Key header',
      },
      'billbee',
    )
    .build();
  const generated = cleanupOpenApiDoc(
    SwaggerModule.createDocument(app, config, { include: apiModules, operationIdFactory: (_controller, method) => method }),
    { version: '3.1' },
  );
  // response DTOs are the output side of their schema (`OrderDto_Output`): in the document they are just `Order`
  const document = JSON.parse(
    JSON.stringify(generated)
      .replace(/"([A-Za-z]+?)(?:Dto)?_Output"/g, '"$1"')
      .replace(/(#\/components\/schemas\/[A-Za-z]+?)(?:Dto)?_Output"/g, '$1"'),
  ) as OpenAPIObject;
  const { $schema: _schema, ...problem } = z.toJSONSchema(ProblemSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: problem } };
  for (const item of Object.values(document.paths)) {
    const post = (item as { post?: Operation }).post;
    if (post?.security?.length) post.parameters = [...(post.parameters ?? []), IDEMPOTENCY_KEY];
    for (const [method, operation] of Object.entries(item) as [string, Operation][]) {
      if (method !== 'get' && operation.security?.length && !operation.responses['202']) operation.responses['202'] = OUTCOME_UNKNOWN;
      const statuses = [400, 503, ...(operation.security?.length ? [401, 429] : []), ...(operation.requestBody ? [413, 415] : [])];
      for (const status of Object.keys(operation.responses)
        .map(Number)
        .filter((s) => s >= 400))
        statuses.push(status);
      for (const status of statuses) operation.responses[String(status)] = problemResponse(status);
    }
  }
  return document;
}
