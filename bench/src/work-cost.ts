/**
 * What a unit of work costs a service: database commands (the driver's command monitoring,
 * `orderhub_database_commands_total`) and JetStream publishes (`orderhub_messages_published_total`),
 * by kind of work (`phase`: command handler, rpc, outbox relay, periodic timers, other), read from the
 * service's `/metrics` before and after a phase of a benchmark.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export type Phase = 'command' | 'rpc' | 'outbox' | 'periodic' | 'other';
export const PHASES: Phase[] = ['command', 'rpc', 'outbox', 'periodic', 'other'];

export interface WorkCounts {
  databaseCommands: Record<Phase, number>;
  /** `<phase> <command> <collection>` → count, for the JSON (which commands a phase spends, and on what). */
  databaseCommandsByName: Record<string, number>;
  publishes: Record<Phase, number>;
}

const zero = (): Record<Phase, number> => ({ command: 0, rpc: 0, outbox: 0, periodic: 0, other: 0 });

function labelsOf(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const m of text.matchAll(/(\w+)="([^"]*)"/g)) labels[m[1] as string] = m[2] as string;
  return labels;
}

/** Sums of the two counters by phase (and the database commands by name) from a Prometheus text page. */
export function parseWorkCounts(page: string): WorkCounts {
  const counts: WorkCounts = { databaseCommands: zero(), databaseCommandsByName: {}, publishes: zero() };
  for (const line of page.split('\n')) {
    const m = /^(orderhub_database_commands_total|orderhub_messages_published_total)\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = labelsOf(m[2] as string);
    const phase = (PHASES as string[]).includes(labels.phase ?? '') ? (labels.phase as Phase) : 'other';
    const value = Number(m[3]);
    if (m[1] === 'orderhub_database_commands_total') {
      counts.databaseCommands[phase] += value;
      const key = [phase, labels.command ?? '?', labels.collection].filter(Boolean).join(' ');
      counts.databaseCommandsByName[key] = (counts.databaseCommandsByName[key] ?? 0) + value;
    } else counts.publishes[phase] += value;
  }
  return counts;
}

export async function workCountsOf(serviceUrl: string): Promise<WorkCounts> {
  const res = await fetch(`${serviceUrl}/metrics`);
  if (!res.ok) throw new Error(`${serviceUrl}/metrics answered ${res.status}`);
  return parseWorkCounts(await res.text());
}

/** One metric's value (summed over label sets matching `labelFilter`) from a service's `/metrics`. */
export async function metricValue(serviceUrl: string, name: string, labelFilter: Record<string, string> = {}): Promise<number> {
  const page = await (await fetch(`${serviceUrl}/metrics`)).text();
  let sum = 0;
  for (const line of page.split('\n')) {
    const m = new RegExp(`^${name}(?:\\{([^}]*)\\})?\\s+(\\S+)`).exec(line);
    if (!m) continue;
    const labels = labelsOf(m[1] ?? '');
    if (Object.entries(labelFilter).every(([k, v]) => labels[k] === v)) sum += Number(m[2]);
  }
  return sum;
}

/** Polls until `check` holds (a benchmark phase's observable end), at most `timeoutMs`. */
export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** The cost of `units` units of work between two readings, per unit. */
export function costPerUnit(before: WorkCounts, after: WorkCounts, units: number) {
  const per = (a: Record<Phase, number>, b: Record<Phase, number>) => {
    const out = zero();
    for (const p of PHASES) out[p] = (b[p] - a[p]) / units;
    return out;
  };
  const byName: Record<string, number> = {};
  for (const [k, v] of Object.entries(after.databaseCommandsByName)) {
    const d = (v - (before.databaseCommandsByName[k] ?? 0)) / units;
    if (d > 0) byName[k] = d;
  }
  const databaseCommands = per(before.databaseCommands, after.databaseCommands);
  const publishes = per(before.publishes, after.publishes);
  const total = (r: Record<Phase, number>) => PHASES.reduce((s, p) => s + r[p], 0);
  return {
    databaseCommands,
    databaseCommandsTotal: total(databaseCommands),
    databaseCommandsByName: byName,
    publishes,
    publishesTotal: total(publishes),
  };
}

export type CostPerUnit = ReturnType<typeof costPerUnit>;

/** `1.02 (command 0.51 · outbox 0.50 · periodic 0.01)`: the total and its non-zero phases. */
export function describeCost(byPhase: Record<Phase, number>, total: number): string {
  const parts = PHASES.filter((p) => byPhase[p] >= 0.005).map((p) => `${p} ${byPhase[p].toFixed(2)}`);
  return `${total.toFixed(2)}${parts.length ? ` (${parts.join(' · ')})` : ''}`;
}
