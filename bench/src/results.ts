import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sectionsOf } from './reliability-sections';

export const RESULTS_DIR = join(__dirname, '..', 'results');

/** Writes `<name>.json` and `<name>.md` into bench/results and prints the Markdown table. */
export function writeResults(name: string, data: Record<string, unknown>, table: [string, string][]): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamped = { benchmark: name, at: new Date().toISOString(), machine: machineFacts(), ...data };
  writeFileSync(join(RESULTS_DIR, `${name}.json`), JSON.stringify(stamped, null, 2) + '\n');
  const md = [
    `# ${name}`,
    '',
    `${stamped.at} — ${stamped.machine.cpus} × ${stamped.machine.cpuModel}, Node ${process.versions.node}`,
    '',
    '| figure | value |',
    '| --- | --- |',
    ...table.map(([k, v]) => `| ${k} | ${v} |`),
    '',
  ].join('\n');
  const mdPath = join(RESULTS_DIR, `${name}.md`);
  // other scripts' marked sections in the same file stay (see reliability-sections.ts)
  const sections = existsSync(mdPath) ? sectionsOf(readFileSync(mdPath, 'utf8')) : [];
  writeFileSync(mdPath, sections.length ? `${md}\n${sections.join('\n')}` : md);
  process.stdout.write(`\n${md}\n`);
}

function machineFacts() {
  const os = require('node:os') as typeof import('node:os');
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memGiB: Math.round(os.totalmem() / 2 ** 30) };
}
