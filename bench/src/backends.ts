import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, spawnFerretDb, spawnNatsServer, type LocalServer, type ServiceName } from '@orderhub/testkit';

/** Bench backends: MONGO_URL/NATS_URL if given, else private local servers (stopped at the end). */
export interface BenchBackends {
  mongoUrl: string;
  natsUrl: string;
  /** Process ids of the servers this bench started (none for servers given by MONGO_URL / NATS_URL). */
  pids: { FerretDB?: number; NATS?: number };
  stop(): Promise<void>;
}

export async function benchBackends(): Promise<BenchBackends> {
  const owned: LocalServer[] = [];
  let mongoUrl = process.env.MONGO_URL;
  let natsUrl = process.env.NATS_URL;
  const pids: BenchBackends['pids'] = {};
  if (!mongoUrl) {
    const s = await spawnFerretDb();
    owned.push(s);
    mongoUrl = s.url;
    pids.FerretDB = s.pid;
  }
  if (!natsUrl) {
    const s = await spawnNatsServer();
    owned.push(s);
    natsUrl = s.url;
    pids.NATS = s.pid;
  }
  return { mongoUrl, natsUrl, pids, stop: async () => void (await Promise.all(owned.map((s) => s.destroy()))) };
}

/** Resident set size of a process in bytes (Linux /proc). */
export function rssOf(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8') as string;
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return kb * 1024;
  } catch {
    return NaN;
  }
}

/** Runs `fn` for every item with at most `limit` in flight. */
export async function inParallel<T>(items: Iterable<T>, limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  const active = new Set<Promise<unknown>>();
  for (const item of items) {
    const p = fn(item).finally(() => active.delete(p));
    active.add(p);
    if (active.size >= limit) await Promise.race(active);
  }
  await Promise.all(active);
}

/**
 * The NODE_OPTIONS a service is deployed with (k8s/base/<service>/config.env), so RSS is measured as
 * in production: they bound V8's old space and its young generation (which V8 otherwise grows to
 * 128 MB under an import's allocation rate).
 */
export function deployedNodeOptions(service: ServiceName): Record<string, string> {
  const env = readFileSync(join(REPO_ROOT, 'k8s', 'base', service, 'config.env'), 'utf8');
  const value = /^NODE_OPTIONS=(.*)$/m.exec(env)?.[1]?.trim();
  return value ? { NODE_OPTIONS: value } : {};
}
