/** Helpers shared by the reliability soak (`bench/src/reliability.ts`) and the jest suite in tests/reliability. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { type Order, type Page, Rpc } from '@orderhub/contracts';
import { REPO_ROOT, type RunningSystem, waitFor } from '@orderhub/testkit';

export const RELIABILITY_ACTOR = 'api-key:reliability';

export { simAdmin } from '@orderhub/testkit';

/**
 * RPC that rides out a process or backend restart. Only for reads and idempotent writes: a retried
 * add-shipment would add a second shipment and hide a real failure, so callers pass `retry: false` there.
 */
export async function hubCall<T>(
  system: RunningSystem,
  subject: string,
  body: unknown,
  { retry = true, timeoutMs = 10_000, within = 60_000 } = {},
): Promise<T> {
  if (!retry) return system.rpc.call<T>(subject, body, timeoutMs);
  const r = await waitFor(
    async () => {
      try {
        return { value: await system.rpc.call<T>(subject, body, timeoutMs) };
      } catch (err) {
        if ((err as { problem?: unknown }).problem) return { err }; // a refusal is an answer: never retried
        throw err; // timeout / no responders while something restarts
      }
    },
    { timeoutMs: within, intervalMs: 500, what: subject },
  );
  if ('err' in r) throw r.err;
  return r.value as T;
}

/** Every order of a connection, paged through `rpc.orders.list` (the listing under test, not a database read). */
export async function ordersOfConnection(system: RunningSystem, accountId: string, connectionId: string): Promise<Order[]> {
  const all: Order[] = [];
  let cursor: string | undefined;
  do {
    const page = await hubCall<Page<Order>>(system, Rpc.ordersList, {
      accountId,
      actor: RELIABILITY_ACTOR,
      body: { connectionId, cursor, limit: 200 },
    });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/**
 * The external ids of the account's orders per connection, as the orders service's database holds
 * them: one read of the single source of truth. The catch-up polls this, not the listing: on FerretDB
 * each page of a listing reads every order, so paging through 10 000 orders every few seconds was
 * itself the load that kept the hub from catching up.
 */
export async function storedExternalIds(system: RunningSystem, accountId: string): Promise<Map<string, Set<string>>> {
  const client = await MongoClient.connect(system.iso.mongoUrl, { serverSelectionTimeoutMS: 10_000 });
  try {
    const docs = await client
      .db()
      .collection<{ connectionId: string; externalId: string }>('orders')
      .find({ accountId }, { projection: { _id: 0, connectionId: 1, externalId: 1 } })
      .toArray();
    const byConnection = new Map<string, Set<string>>();
    for (const d of docs) {
      const ids = byConnection.get(d.connectionId) ?? new Set<string>();
      ids.add(d.externalId);
      byConnection.set(d.connectionId, ids);
    }
    return byConnection;
  } finally {
    await client.close();
  }
}

/** How many orders of the connection the hub holds: one count, not a listing (each page of a listing is a scan on FerretDB). */
export async function countOfConnection(system: RunningSystem, accountId: string, connectionId: string): Promise<number> {
  const page = await hubCall<{ totalRows: number }>(system, Rpc.ordersPage, {
    accountId,
    actor: RELIABILITY_ACTOR,
    body: { pageSize: 1, connectionIds: [connectionId] },
  });
  return page.totalRows;
}

/** Keys seen more than once, with their counts. */
export function duplicates(keys: string[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return Object.fromEntries([...counts].filter(([, n]) => n > 1));
}

/** Sum of a Prometheus metric over its label sets, from a service's `/metrics`. */
export async function metricSum(serviceUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${serviceUrl}/metrics`)).text();
  const re = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+|NaN)$`, 'gm');
  let sum = 0;
  let seen = false;
  for (const m of text.matchAll(re)) {
    seen = true;
    sum += Number(m[1]);
  }
  if (!seen) throw new Error(`${name} is not exposed by ${serviceUrl}`);
  return sum;
}

/** The operator's tool: `npm run dlq -- <args>` is `node libs/platform/dist/cli/dlq.js <args>`. */
export function dlqCli(natsUrl: string, prefix: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(REPO_ROOT, 'libs/platform/dist/cli/dlq.js'), ...args],
      { env: { ...process.env, NATS_URL: natsUrl, NATS_PREFIX: prefix }, timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

export interface ParkedLine {
  seq: number;
  subject: string;
  reason: string;
}

/** Lines of `dlq list`: `<seq>\t<parkedAt>\t<subject>\t<n> deliveries\t<reason>`. */
export function parseDlqList(stdout: string): ParkedLine[] {
  return stdout
    .split('\n')
    .filter((l) => /^\d+\t/.test(l))
    .map((l) => {
      const [seq, , subject, , reason] = l.split('\t');
      return { seq: Number(seq), subject: subject ?? '', reason: reason ?? '' };
    });
}
