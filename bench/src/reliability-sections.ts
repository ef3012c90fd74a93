import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RELIABILITY_MD = join(__dirname, '..', 'results', 'reliability.md');
const SECTION = /<!-- section:([\w-]+) -->[\s\S]*?<!-- \/section:\1 -->\n?/g;

/** The marked sections of a results file (other scripts' figures), to keep when the file is rewritten. */
export function sectionsOf(text: string): string[] {
  return [...text.matchAll(SECTION)].map((m) => (m[0].endsWith('\n') ? m[0] : `${m[0]}\n`));
}

/**
 * Puts a script's table into bench/results/reliability.md as its own marked section (the soak
 * rewrites the head of the file and keeps the sections), replacing the script's previous one.
 */
export function replaceReliabilitySection(name: string, title: string, table: [string, string][]): void {
  const old = existsSync(RELIABILITY_MD) ? readFileSync(RELIABILITY_MD, 'utf8') : '# reliability\n';
  const kept = old.replace(SECTION, (whole, id: string) => (id === name ? '' : whole)).trimEnd();
  const section = [
    `<!-- section:${name} -->`,
    `## ${title}`,
    '',
    `${new Date().toISOString()}`,
    '',
    '| figure | value |',
    '| --- | --- |',
    ...table.map(([k, v]) => `| ${k} | ${v} |`),
    `<!-- /section:${name} -->`,
  ].join('\n');
  writeFileSync(RELIABILITY_MD, `${kept}\n\n${section}\n`);
}
