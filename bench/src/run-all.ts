/**
 * `npm run bench`: every throughput benchmark in turn, each its own process (each owns its backends),
 * with defaults small enough for a laptop or a 2-core CI runner. Bigger runs: set the env knobs
 * (BENCH_ORDERS, E2E_RATE, E2E_SECONDS, …; see bench/README.md) or run one script alone.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const runs: { script: string; env: Record<string, string> }[] = [
  { script: 'orders-import.js', env: { BENCH_ORDERS: process.env.BENCH_ORDERS ?? '2000' } },
  { script: 'e2e.js', env: {} },
  { script: 'csv-import.js', env: { BENCH_CSV_ROWS: process.env.BENCH_CSV_ROWS ?? '5000' } },
  { script: 'billbee-orders.js', env: { BILLBEE_BENCH_ORDERS: process.env.BILLBEE_BENCH_ORDERS ?? '20000' } },
];

let failed = 0;
for (const { script, env } of runs) {
  process.stdout.write(`\n=== ${script} ===\n`);
  const r = spawnSync(process.execPath, [join(__dirname, script)], { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    failed += 1;
    process.stderr.write(`${script} failed (exit ${r.status ?? r.signal})\n`);
  }
}
process.exit(failed ? 1 : 0);
