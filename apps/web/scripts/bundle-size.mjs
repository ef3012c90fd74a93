#!/usr/bin/env node
// The first page's weight: gzipped size of everything the browser loads for `/orders` (entry chunk,
// its CSS and static imports, the lazily loaded orders page with its imports), from Vite's manifest.
// `npm run size -w @orderhub/web` after a build; exits non-zero above the budget.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUDGET_BYTES = 300 * 1024;
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

export function firstPageFiles(manifest, pages = ['src/pages/orders/OrdersPage.tsx']) {
  const files = new Set();
  const visit = (key) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit('index.html');
  for (const page of pages) visit(page);
  return [...files];
}

export function firstPageGzipBytes() {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
  const files = firstPageFiles(manifest).map((file) => ({ file, gzip: gzipSync(readFileSync(join(dist, file)), { level: 9 }).length }));
  return { files, total: files.reduce((n, f) => n + f.gzip, 0) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { files, total } = firstPageGzipBytes();
  for (const f of files) console.log(`${(f.gzip / 1024).toFixed(1).padStart(7)} kB  ${f.file}`);
  console.log(`${(total / 1024).toFixed(1).padStart(7)} kB  first page, gzipped (budget ${BUDGET_BYTES / 1024} kB)`);
  if (total > BUDGET_BYTES) process.exit(1);
}
