import { ConnectorChecks, ConnectorHealth, ConnectorTriggers, Durables, Notices, Rpc, Streams, Subjects } from '@orderhub/contracts';
import { natsInboxPrefix } from '@orderhub/platform';

/**
 * Per-service NATS users and their subject permissions, derived from the contracts' subjects: the
 * tests' nats-server (libs/testkit) and the deployments (scripts/nats-auth-config.js writes
 * k8s/components/nats-auth/users.conf, which docker-compose mounts too) use the same table.
 *
 * A new service adds an entry to NATS_USERS (what it publishes, consumes, serves and calls, by
 * contract constants); a service that starts using another subject adds it here, or the server
 * refuses it ("Permissions Violation"), in the tests as in production.
 */
export interface ServiceNatsUse {
  /** JetStream subjects it publishes (facts or commands). */
  publishes: readonly string[];
  /** JetStream subjects it consumes with durable consumers (`@EventPattern`). */
  consumes: readonly string[];
  /** Request/reply subjects it answers (`@MessagePattern`, trigger subscriptions). */
  serves: readonly string[];
  /** Request/reply subjects it calls. */
  calls: readonly string[];
  /** KV buckets (logical names, before the prefix) it reads and writes. */
  buckets: readonly string[];
  /** Reads and drops parked messages (the DLQ stream) for the account's API. */
  deadLetters?: boolean;
  /**
   * Subjects it may publish only to replay a parked message after a fix: the subjects some consumer
   * reads, since only a consumer parks, and nothing else (no order events it could invent otherwise).
   */
  replays?: readonly string[];
  /** Durable consumers of other services whose progress it reads (a CSV job waits for the orders service's import consumer). */
  watches?: readonly { subject: string; durable: string }[];
}

const rpcIn = (namespace: string) => Object.values(Rpc).filter((s) => s.startsWith(`rpc.${namespace}.`));
/** What connectors hand to the orders service: every subject of the CHANNEL and FULFILLMENT streams. */
const connectorCommands = Object.values(Subjects).filter((s) =>
  [...Streams.channel.subjects, ...Streams.fulfillment.subjects].some((p) => s.startsWith(p.slice(0, -1))),
);
/** Connectors read orders and articles; they never change them over RPC (changes are commands). */
const connectorReads = [
  Rpc.connectionsForConnector,
  Rpc.ordersList,
  Rpc.ordersGet,
  Rpc.ordersFindByExternalId,
  Rpc.ordersStoredExternalIds,
  Rpc.articlesList,
  Rpc.articlesGet,
];
const connector = (type: keyof typeof ConnectorTriggers, use: Partial<ServiceNatsUse>): ServiceNatsUse => ({
  publishes: connectorCommands,
  consumes: use.consumes ?? [],
  // Sync-now and health requests, and the connection change notices (every replica listens).
  serves: [ConnectorTriggers[type], ConnectorHealth[type], Notices.connectionChanged, ...(use.serves ?? [])],
  calls: connectorReads,
  buckets: [`connector_${type}`],
});

const connectors: Record<string, ServiceNatsUse> = {
  'channel-otto': connector('otto', {
    consumes: [Subjects.orderShipped, Subjects.orderCancelled, Subjects.articleStockChanged],
    serves: rpcIn('otto'),
  }),
  'channel-serverspot': connector('serverspot', {
    consumes: [Subjects.orderShipped, Subjects.orderCancelled, Subjects.orderStateChanged, Subjects.articleStockChanged],
    serves: rpcIn('serverspot'),
  }),
  'fulfillment-wemalo': connector('wemalo', {
    consumes: [Subjects.orderTagsChanged, Subjects.orderStateChanged, Subjects.orderCancelled, Subjects.articleChanged],
    serves: ['rpc.wemalo.>'],
  }),
  // tells the browsers of an account that a mail was parked (the gateway's live feed)
  'mail-ingest': {
    ...connector('jimdo', { serves: rpcIn('mail') }),
    publishes: [...connectorCommands, Notices.mailParked],
    buckets: [],
    watches: [{ subject: Subjects.channelOrderImport, durable: Durables.ordersOrderImport }],
  },
};

/** NATS subject match: `*` one token, `>` the rest. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length || (p[i] !== '*' && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

/** Delivers order events to subscribers' URLs; answers the gateway's subscription RPCs. */
const webhooks: ServiceNatsUse = {
  publishes: [Notices.webhooksChanged],
  consumes: [...Streams.orders.subjects],
  serves: [...rpcIn('webhooks'), Notices.webhooksChanged],
  calls: [],
  buckets: [],
};

const servedElsewhere = [...Object.values(connectors), webhooks].flatMap((c) => c.serves);

const orders: ServiceNatsUse = {
  publishes: [...Streams.orders.subjects, ...Streams.articles.subjects, Notices.connectionChanged, Notices.apiKeyRevoked],
  consumes: [...connectorCommands, Subjects.orderImported],
  // Every contract RPC that no other service answers.
  serves: Object.values(Rpc).filter((s) => !servedElsewhere.some((p) => subjectMatches(p, s))),
  // the connectors' checks before a connection is saved (issue 15)
  calls: Object.values(ConnectorChecks),
  buckets: [],
  deadLetters: true,
};

/** Every subject a consumer reads: the only subjects a parked message can come from. */
const parkable = [...new Set([orders, webhooks, ...Object.values(connectors)].flatMap((c) => c.consumes))];

export const NATS_USERS: Record<string, ServiceNatsUse> = {
  // replays parked messages for the account's API (Rpc.deadLettersReplay)
  orders: { ...orders, replays: parkable },
  // The browsers' live feed is one plain subscription to the order events and the parked-mail notices
  // (no consumer, nothing replayed); every replica hears revoked API keys.
  gateway: {
    publishes: [],
    consumes: [],
    serves: [...Streams.orders.subjects, Notices.mailParked, Notices.apiKeyRevoked],
    calls: ['rpc.>'],
    buckets: ['gateway_idempotency'],
    deadLetters: true,
  },
  ...connectors,
  webhooks,
};

/**
 * How names look on the server: deployments run without NATS_PREFIX; the tests give every file its
 * own prefix, so there a prefix token and prefixed stream names become wildcards.
 */
export type PrefixMode = 'none' | 'any';

export interface NatsPermissions {
  publish: { allow: string[] };
  subscribe: { allow: string[] };
  allow_responses: boolean;
}

/** Operator tools (seed-demo, the dlq CLI) in deployments: every permission. */
export const NATS_OPERATOR_USER = 'operator';

/** The server-side environment variable holding a user's password in the deployments' users.conf. */
export const natsPasswordVariable = (user: string): string => `NATS_PASSWORD_${user.toUpperCase().replace(/-/g, '_')}`;

/** The harness (probes, fakes, HubClient) connects without credentials and may do anything. */
export const TEST_HARNESS_USER = 'test-harness';

/** Passwords of the tests' nats-server: fixed, it listens on loopback for one run only. */
export const testNatsPassword = (user: string): string => `test-only-${user}`;

/** The NATS_USER/NATS_PASSWORD a service under test (`services/<name>`) connects with. */
export function testNatsCredentials(service: string): { NATS_USER: string; NATS_PASSWORD: string } {
  if (!NATS_USERS[service]) {
    throw new Error(
      `services/${service} has no NATS user: add what it publishes, consumes, serves and calls to NATS_USERS in libs/testkit/src/nats-auth.ts`,
    );
  }
  return { NATS_USER: service, NATS_PASSWORD: testNatsPassword(service) };
}

/** The tests' nats-server config: every service user, and the harness for connections without credentials. */
export const testNatsServerConfig = (): string =>
  natsUsersConfig({
    mode: 'any',
    password: (u) => JSON.stringify(testNatsPassword(u)),
    superusers: [TEST_HARNESS_USER],
    noAuthUser: TEST_HARNESS_USER,
  });

function streamOf(subject: string): string {
  const def = Object.values(Streams).find((s) => s.subjects.some((p) => subject === p || subject.startsWith(p.slice(0, -1))));
  if (!def) throw new Error(`no stream holds ${subject}`);
  return def.name;
}

export function natsPermissions(user: string, use: ServiceNatsUse, mode: PrefixMode): NatsPermissions {
  const subject = (s: string) => (mode === 'any' ? `*.${s}` : s);
  const stream = (name: string) => (mode === 'any' ? '*' : name);
  const bucket = (name: string) => (mode === 'any' ? '*' : name);
  const api = '$JS.API';
  const publish = new Set<string>([`${api}.INFO`]);
  // Every service provisions the contract streams at start (NatsClient.provisionStreams).
  for (const s of Object.values(Streams))
    for (const op of ['INFO', 'CREATE', 'UPDATE']) publish.add(`${api}.STREAM.${op}.${stream(s.name)}`);
  for (const s of use.publishes) publish.add(subject(s));
  for (const s of use.calls) publish.add(subject(s));
  for (const s of use.consumes) {
    const name = stream(streamOf(s));
    // Consumers may be created only with a filter on the subjects this service reads.
    publish.add(`${api}.CONSUMER.CREATE.${name}.*.${subject(s)}`);
    for (const op of ['INFO', 'MSG.NEXT']) publish.add(`${api}.CONSUMER.${op}.${name}.*`);
    publish.add(`$JS.ACK.${name}.>`);
  }
  // A message a consumer gives up on is parked as dlq.<subject>.
  if (use.consumes.length > 0) publish.add(subject(`${Subjects.deadLetter}.>`));
  for (const b of use.buckets) {
    const kvStream = mode === 'any' ? '*' : `KV_${b}`;
    const kvSubjects = `$KV.${bucket(b)}.>`;
    for (const op of ['STREAM.INFO', 'STREAM.CREATE', 'STREAM.UPDATE', 'STREAM.MSG.GET']) publish.add(`${api}.${op}.${kvStream}`);
    // Watches and key listings are ordered consumers filtered on the bucket's subjects.
    publish.add(`${api}.CONSUMER.CREATE.${kvStream}.*.${kvSubjects}`);
    for (const op of ['CONSUMER.DELETE', 'CONSUMER.INFO']) publish.add(`${api}.${op}.${kvStream}.*`);
    publish.add(`${api}.DIRECT.GET.${kvStream}.${kvSubjects}`);
    publish.add(kvSubjects);
    publish.add(`$JS.FC.${kvStream}.>`);
  }
  if (use.deadLetters) {
    const dlq = stream(Streams.dlq.name);
    for (const op of ['STREAM.MSG.GET', 'STREAM.MSG.DELETE']) publish.add(`${api}.${op}.${dlq}`);
    publish.add(`${api}.DIRECT.GET.${dlq}`);
    publish.add(`${api}.DIRECT.GET.${dlq}.>`);
  }
  for (const s of use.replays ?? []) publish.add(subject(s));
  // Reading another service's consumer state: in 'any' mode the durable carries the prefix too.
  for (const w of use.watches ?? []) publish.add(`${api}.CONSUMER.INFO.${stream(streamOf(w.subject))}.${mode === 'any' ? '*' : w.durable}`);
  const subscribe = new Set<string>([`${natsInboxPrefix(user)}.>`]);
  for (const s of use.serves) subscribe.add(subject(s));
  return { publish: { allow: [...publish] }, subscribe: { allow: [...subscribe] }, allow_responses: use.serves.length > 0 };
}

export interface NatsUsersConfigOptions {
  mode: PrefixMode;
  /** The password of a user as it appears in the config: a quoted literal, or `$VAR` read from the server's environment. */
  password: (user: string) => string;
  /** Extra users with every permission (the test harness, operator tools). */
  superusers?: string[];
  /** Connections without credentials act as this user (tests only). */
  noAuthUser?: string;
}

/** A nats-server config fragment: `authorization { users = [...] }` (and `no_auth_user`). */
export function natsUsersConfig(options: NatsUsersConfigOptions): string {
  const users = Object.entries(NATS_USERS).map(([user, use]) => {
    const p = natsPermissions(user, use, options.mode);
    return [
      `    {`,
      `      user: ${JSON.stringify(user)}`,
      `      password: ${options.password(user)}`,
      `      permissions: {`,
      `        publish: { allow: ${JSON.stringify(p.publish.allow)} }`,
      `        subscribe: { allow: ${JSON.stringify(p.subscribe.allow)} }`,
      ...(p.allow_responses ? [`        allow_responses: true`] : []),
      `      }`,
      `    }`,
    ].join('\n');
  });
  const superusers = (options.superusers ?? []).map((user) => `    { user: ${JSON.stringify(user)}, password: ${options.password(user)} }`);
  return [
    ...(options.noAuthUser ? [`no_auth_user: ${JSON.stringify(options.noAuthUser)}`] : []),
    `authorization {`,
    // nats-server drops a client that has not authenticated within 2 s by default; a loaded CI machine
    // (or a node under pressure) starts processes slower than that, and the client then fails at start.
    `  timeout: 10`,
    `  users = [`,
    [...users, ...superusers].join('\n'),
    `  ]`,
    `}`,
    '',
  ].join('\n');
}
