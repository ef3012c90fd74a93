import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT, RunningSystem, SERVICE_NAMES } from '@orderhub/testkit';

const deploy = join(REPO_ROOT, 'deploy');
const lines = (file: string) =>
  readFileSync(join(deploy, file), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

/** Metric names an expression or panel query refers to (ours, Node's and the process collector's). */
function metricNames(text: string): string[] {
  return [...new Set(text.match(/\b(orderhub|nodejs|process|jetstream)_[a-z0-9_]+/g) ?? [])].map((m) =>
    m.replace(/_(bucket|sum|count)$/, ''),
  );
}

describe('observability: health, metrics, dashboards and alerts agree with the services', () => {
  let system: RunningSystem;
  const exposed = new Set<string>();
  let expositions = '';

  beforeAll(async () => {
    system = await RunningSystem.start('obs', { simulators: [] });
    for (const service of system.services.values()) {
      const text = await (await fetch(`${service.metricsUrl}/metrics`)).text();
      expositions += text;
      for (const m of text.matchAll(/^# TYPE (\S+) /gm)) exposed.add(m[1]!);
    }
  }, 180_000);
  afterAll(() => system?.stop());

  it.each(SERVICE_NAMES)('%s serves /health/live, /health/ready and Prometheus /metrics', async (name) => {
    const service = system.service(name);
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${service.url}/health/ready`);
    expect(ready.status).toBe(200);
    const metrics = await fetch(`${service.metricsUrl}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await metrics.text()).toMatch(/^# TYPE process_resident_memory_bytes gauge$/m);
  });

  it('every metric the dashboards and alerts use is exposed by some service (no silent rename)', () => {
    const missing = lines('metrics-used.txt').filter((name) => !exposed.has(name));
    expect(missing).toEqual([]);
  });

  it('deploy/metrics-used.txt lists every metric in the alert rules and dashboards', () => {
    const listed = new Set([...lines('metrics-used.txt'), ...lines('metrics-external.txt')]);
    const rules = parse(readFileSync(join(deploy, 'prometheus', 'alerts.yml'), 'utf8')) as { groups: { rules: { expr: string }[] }[] };
    const fromRules = rules.groups.flatMap((g) => g.rules.flatMap((r) => metricNames(r.expr)));
    const dashboardsDir = join(deploy, '..', 'k8s', 'components', 'monitoring', 'dashboards');
    const fromDashboards = readdirSync(dashboardsDir).flatMap((f) => metricNames(readFileSync(join(dashboardsDir, f), 'utf8')));
    expect([...new Set([...fromRules, ...fromDashboards])].filter((m) => !listed.has(m))).toEqual([]);
  });

  it('metric labels stay low-cardinality: no order, account or e-mail label', () => {
    const labelNames = new Set([...expositions.matchAll(/[{,]([a-zA-Z_]+)="/g)].map((m) => m[1]!));
    expect([...labelNames].filter((l) => /order|account|mail|email|external|connection/i.test(l))).toEqual([]);
  });

  it('no dashboard groups or names series by an unbounded label (connection ids are the health API answer)', () => {
    const dashboardsDir = join(deploy, '..', 'k8s', 'components', 'monitoring', 'dashboards');
    const used = readdirSync(dashboardsDir).flatMap((f) => {
      const text = readFileSync(join(dashboardsDir, f), 'utf8');
      const grouped = [...text.matchAll(/\bby \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim()));
      const legends = [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!);
      return [...grouped, ...legends].filter((l) => /order|account|mail|connection|external|_id$/i.test(l)).map((l) => `${f}: ${l}`);
    });
    expect(used).toEqual([]);
  });
});
