import { request } from 'node:http';
import fc from 'fast-check';
import { type AccountCreated, type ConnectionView, OrderState, Rpc } from '@orderhub/contracts';
import { freePort, isolate, ServiceProcess, TestRpc, withDatabase } from '@orderhub/testkit';
import { replaceReliabilitySection } from '../../bench/src/reliability-sections';
import { fcParams } from './support';

/**
 * CI runs a sample; `npm run fuzz` runs ≥ 100 000 requests (FUZZ_RUNS × FUZZ_PARALLEL) and writes its
 * figures into bench/results/reliability.md (FUZZ_REPORT).
 */
const FUZZ = {
  runs: Number(process.env.FUZZ_RUNS ?? 300),
  parallel: Number(process.env.FUZZ_PARALLEL ?? 1),
  report: process.env.FUZZ_REPORT === '1',
  timeoutMs: Math.max(180_000, Number(process.env.FUZZ_RUNS ?? 300) * Number(process.env.FUZZ_PARALLEL ?? 1) * 60),
};

interface Route {
  method: string;
  template: string;
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/** Raw HTTP, so malformed paths, bodies and headers reach the gateway as sent (fetch would normalise some). */
function send(port: number, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } },
      (res) => {
        const contentType = String(res.headers['content-type'] ?? '');
        // An accepted live feed (server-sent events) never ends: its status and type are the answer.
        if (contentType.startsWith('text/event-stream')) {
          resolve({ status: res.statusCode ?? 0, contentType, body: '' });
          req.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.setTimeout(20_000, () => req.destroy(new Error(`no answer to ${method} ${path}`)));
    req.end(body);
  });
}

const knownIds: string[] = ['00000000-0000-0000-0000-000000000000'];
const pathValue = fc.oneof(
  fc.constant(undefined).map(() => knownIds[Math.floor(Math.random() * knownIds.length)]!),
  fc.uuid(),
  fc.string({ maxLength: 60 }),
  fc.constantFrom(
    '..',
    '%2e%2e',
    '%00',
    '%ZZ',
    '0',
    '-1',
    'null',
    "' OR 1=1 --",
    '{"$gt":""}',
    '$where',
    'a'.repeat(3000),
    '%F0%9F%92%A9',
    '%C0%AF',
  ),
);
const queryPart = fc.oneof(
  fc.tuple(
    fc.constantFrom(
      'limit',
      'cursor',
      'state',
      'connectionId',
      'sku',
      'status',
      'afterRow',
      'skipDuplicates',
      'q',
      'state[]',
      '__proto__',
      'constructor',
    ),
    fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.integer().map(String),
      fc.constantFrom('-1', '1e309', '999999999999', 'true', '', '%', '%ZZ'),
    ),
  ),
  fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })),
);
const jsonValue = fc.jsonValue({ maxDepth: 4 });
const bodyArb = fc.oneof(
  jsonValue.map((v) => Buffer.from(JSON.stringify(v))),
  fc
    .record({ state: fc.oneof(fc.constantFrom(...Object.values(OrderState)), fc.integer()), comment: fc.string() })
    .map((v) => Buffer.from(JSON.stringify(v))),
  fc
    .record({ type: fc.constantFrom('shipment', 'return', 'x'), carrier: fc.string(), trackingNumber: fc.string() })
    .map((v) => Buffer.from(JSON.stringify(v))),
  fc
    .record({ type: fc.constantFrom('otto', 'serverspot', 'jimdo', 'wemalo', 'nope'), settings: jsonValue, secrets: jsonValue })
    .map((v) => Buffer.from(JSON.stringify(v))),
  fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)), // malformed JSON
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.constantFrom(
    Buffer.from('{"a":'),
    Buffer.from('[]'),
    Buffer.from('null'),
    Buffer.from('{"__proto__":{"admin":true}}'),
    Buffer.from('{"constructor":{"prototype":{"x":1}}}'),
    Buffer.alloc(0),
  ),
);
const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      'application/json; charset=latin1',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'text/csv',
      'application/xml',
      '',
      'application/json;;;',
      'application/merge-patch+json',
    ),
    weight: 2,
  },
  { arbitrary: fc.string({ maxLength: 40 }).filter((s) => /^[\x20-\x7e]*$/.test(s)), weight: 1 },
);

type GeneratedRequest = [number, string[], [string, string][], Buffer | undefined, string, string];
const generatedRequest: fc.Arbitrary<GeneratedRequest> = fc.tuple(
  fc.nat(),
  fc.array(pathValue, { minLength: 3, maxLength: 3 }),
  fc.array(queryPart, { maxLength: 4 }),
  fc.option(bodyArb, { nil: undefined }),
  contentType,
  fc.constantFrom('key', 'key', 'key', 'key', 'key', 'key', 'none', 'bogus'),
);

/**
 * The public REST API under random and malformed input: every route of /openapi.json, random path ids,
 * query strings, JSON and non-JSON bodies, content types. Real gateway + orders + mail-ingest processes.
 * Every answer is a 2xx, or a 4xx problem+json; never a 5xx (only a sync with no connector running is
 * the documented 503, and it is a problem too).
 */
describe('property: gateway routes never answer 5xx to bad input', () => {
  const iso = isolate('gwprop');
  let orders: ServiceProcess;
  let mail: ServiceProcess;
  let webhooks: ServiceProcess;
  let gateway: ServiceProcess;
  let apiKey = '';
  let routes: Route[] = [];

  beforeAll(async () => {
    const secrets = { SECRETS_KEYS: 'k1:MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=', SECRETS_ACTIVE_KEY: 'k1' };
    const base = { NATS_URL: iso.natsUrl, NATS_PREFIX: iso.natsPrefix };
    // every service behind a documented route answers, so a 503 is a bug, not a missing backend
    [orders, mail, webhooks] = await Promise.all([
      ServiceProcess.start('services/orders', { ...base, ...secrets, MONGO_URL: iso.mongoUrl }),
      ServiceProcess.start('services/webhooks', { ...base, ...secrets, MONGO_URL: withDatabase(iso.mongoUrl, `${iso.dbName}_wh`) }),
      ServiceProcess.start('services/mail-ingest', {
        ...base,
        MONGO_URL: withDatabase(iso.mongoUrl, `${iso.dbName}_mail`),
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(await freePort()),
        FORWARD_ENABLED: 'false',
      }),
    ]);
    gateway = await ServiceProcess.start('services/gateway', {
      ...base,
      MAIL_INGEST_URL: mail.url,
      RATE_LIMIT_PER_SECOND: '100000',
      RATE_LIMIT_BURST: '100000',
      // the fuzz's unknown keys would otherwise lock its own address out (429) and most requests would stop at the door
      AUTH_FAILURES_PER_ADDRESS: '1000000',
      AUTH_FAILURES_GLOBAL: '1000000',
      CONNECTOR_TRIGGER_TIMEOUT_MS: '300',
    });
    const rpc = await TestRpc.connect(iso);
    const account = await rpc.call<AccountCreated>(Rpc.accountsCreate, { name: 'Property GmbH' });
    apiKey = account.apiKey;
    // Real ids, so some requests get past the 404 and into the handlers.
    const body = { type: 'jimdo', settings: { name: 'Jimdo', forwardTo: 'm@shop.example' }, secrets: {} };
    knownIds.push((await rpc.call<ConnectionView>(Rpc.connectionsCreate, { accountId: account.accountId, actor: 'test', body })).id);
    await rpc.close();
    const doc = (await (await fetch(`${gateway.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(doc.paths).flatMap(([template, ops]) =>
      Object.keys(ops)
        .filter((m) => m !== 'parameters')
        .map((m) => ({ method: m.toUpperCase(), template })),
    );
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([orders?.stop(), mail?.stop(), webhooks?.stop()]);
  });

  it('every route of the OpenAPI document is fuzzed (the list is not empty)', () => {
    expect(routes.length).toBeGreaterThan(15);
  });

  it(
    'random path ids, query strings, bodies and content types: 2xx, or 4xx problem+json',
    async () => {
      const seen = new Map<number, number>();
      const perRoute = new Map<string, number>();
      const pids = [gateway, orders, mail, webhooks].map((p) => p.pid);
      const started = Date.now();
      let sent = 0;
      const one = async ([pick, ids, query, body, type, auth]: GeneratedRequest) => {
        const route = routes[pick % routes.length]!;
        let i = 0;
        const path = route.template.replace(/\{[^}]+\}/g, () => encodeURIComponent(ids[i++] ?? 'x').replace(/%25([0-9A-F]{2})/gi, '%$1'));
        const qs = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const headers: Record<string, string> = {};
        if (auth === 'key') headers.authorization = `Bearer ${apiKey}`;
        if (auth === 'bogus') headers.authorization = 'Bearer ohk_definitely-not-a-key-0000';
        if (body !== undefined && type) headers['content-type'] = type;
        const sendBody = route.method === 'GET' ? undefined : body;
        const res = await send(gateway.port, route.method, `${path}${qs ? `?${qs}` : ''}`, headers, sendBody);
        sent += 1;
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        perRoute.set(`${route.method} ${route.template}`, (perRoute.get(`${route.method} ${route.template}`) ?? 0) + 1);
        const what = `${route.method} ${path.slice(0, 200)} → ${res.status} ${res.body.slice(0, 300)}`;
        const documented503 = res.status === 503 && route.template.endsWith('/sync');
        if (res.status >= 500 && !documented503) throw new Error(`5xx: ${what}`);
        // The Billbee face answers in Billbee's own envelope (application/json with ErrorMessage/ErrorCode),
        // as Billbee clients expect; a refusal before its controllers (bad JSON, body size) is problem+json.
        const errorType = route.template.startsWith('/billbee/') ? /^application\/(problem\+)?json/ : /^application\/problem\+json/;
        if (res.status >= 400) expect({ what, type: res.contentType }).toEqual({ what, type: expect.stringMatching(errorType) });
        else expect(res.status).toBeGreaterThanOrEqual(200);
      };
      let lastProgress = Date.now();
      await fc.assert(
        // FUZZ_PARALLEL requests per run go out together, as concurrent clients would send them
        fc.asyncProperty(fc.array(generatedRequest, { minLength: FUZZ.parallel, maxLength: FUZZ.parallel }), async (batch) => {
          await Promise.all(batch.map(one));
          if (FUZZ.report && Date.now() - lastProgress > 30_000) {
            lastProgress = Date.now();
            process.stdout.write(`fuzz: ${sent} requests after ${Math.round((Date.now() - started) / 1000)} s\n`);
          }
        }),
        fcParams('gateway routes', FUZZ.runs),
      );
      const seconds = (Date.now() - started) / 1000;
      process.stdout.write(`gateway statuses: ${JSON.stringify(Object.fromEntries([...seen].sort()))}\n`);
      const restarted = [gateway, orders, mail, webhooks].filter((p, i) => !p.running || p.pid !== pids[i]).length;
      expect(restarted).toBe(0);
      if (FUZZ.report) {
        expect(perRoute.size).toBe(routes.length);
        const fivexx = [...seen].filter(([status]) => status >= 500).reduce((n, [, c]) => n + c, 0);
        replaceReliabilitySection('route-fuzz', 'Route fuzz (`npm run fuzz`)', [
          [
            'requests',
            `${sent} over ${perRoute.size} of ${routes.length} OpenAPI operations (${FUZZ.runs} runs × ${FUZZ.parallel} concurrent)`,
          ],
          ['time', `${seconds.toFixed(0)} s (${(sent / seconds).toFixed(0)} requests/s)`],
          [
            'answers by status',
            Object.entries(Object.fromEntries([...seen].sort()))
              .map(([k, v]) => `${k}: ${v}`)
              .join(', '),
          ],
          ['5xx (the only accepted one: 503 from /sync with no connector running)', String(fivexx)],
          ['services restarted or exited (gateway, orders, mail-ingest, webhooks)', String(restarted)],
          ['fewest requests to one operation', String(Math.min(...perRoute.values()))],
        ]);
      }
    },
    FUZZ.timeoutMs,
  );
});
