import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, spawnFerretDb, spawnNatsServer, type LocalServer } from './local-binaries';
import { testNatsServerConfig } from './nats-auth';

export interface Backends {
  mongoUrl: string;
  natsUrl: string;
  source: 'env' | 'testcontainers' | 'local-binaries';
}

const STATE_FILE = join(REPO_ROOT, '.tmp', 'test-backends.json');
// globalSetup and globalTeardown may load this module separately: keep the owned servers on globalThis.
const holder = globalThis as unknown as { __orderhubOwnedBackends?: { stop(): Promise<unknown> }[] };
const owned = (holder.__orderhubOwnedBackends ??= []);

function dockerAnswers(): boolean {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

async function fromTestcontainers(): Promise<Backends> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const mongo = await new GenericContainer('mongo:7').withExposedPorts(27017).withWaitStrategy(Wait.forListeningPorts()).start();
  const nats = await new GenericContainer('nats:2.12')
    .withCopyContentToContainer([{ content: testNatsServerConfig(), target: '/etc/nats/auth.conf' }])
    .withCommand(['-js', '-c', '/etc/nats/auth.conf'])
    .withExposedPorts(4222)
    .start();
  owned.push(mongo, nats);
  return {
    mongoUrl: `mongodb://${mongo.getHost()}:${mongo.getMappedPort(27017)}/`,
    natsUrl: `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`,
    source: 'testcontainers',
  };
}

async function fromLocalBinaries(): Promise<Backends> {
  const servers: LocalServer[] = [await spawnFerretDb(), await spawnNatsServer()];
  owned.push(...servers.map((s) => ({ stop: () => s.destroy() })));
  const [mongo, nats] = servers as [LocalServer, LocalServer];
  return { mongoUrl: mongo.url, natsUrl: nats.url, source: 'local-binaries' };
}

/**
 * MONGO_URL/NATS_URL if set; else testcontainers when a Docker engine answers; else the Go-built
 * FerretDB and nats-server on free ports. A missing backend fails the run (never a silent skip).
 */
export async function provideBackends(): Promise<Backends> {
  let backends: Backends;
  if (process.env.MONGO_URL && process.env.NATS_URL) {
    backends = { mongoUrl: process.env.MONGO_URL, natsUrl: process.env.NATS_URL, source: 'env' };
  } else {
    try {
      backends = dockerAnswers() ? await fromTestcontainers() : await fromLocalBinaries();
    } catch (err) {
      throw new Error(
        `No MongoDB-wire/NATS backend for the tests (${err instanceof Error ? err.message : String(err)}). ` +
          'Set MONGO_URL and NATS_URL, start Docker, or install Go so scripts/backends.sh can build FerretDB and nats-server.',
      );
    }
  }
  process.env.MONGO_URL = backends.mongoUrl;
  process.env.NATS_URL = backends.natsUrl;
  // spawnFerretDb set ORDERHUB_TEST_FERRETDB: the test workers inherit it (one database connection per service).
  mkdirSync(join(REPO_ROOT, '.tmp'), { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify(backends));
  return backends;
}

export async function releaseBackends(): Promise<void> {
  await Promise.allSettled(owned.splice(0).map((o) => o.stop()));
}

/** Inside a test worker: the backends the global setup provided. */
export function testBackends(): Backends {
  if (process.env.MONGO_URL && process.env.NATS_URL) {
    return { mongoUrl: process.env.MONGO_URL, natsUrl: process.env.NATS_URL, source: 'env' };
  }
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as Backends;
}
