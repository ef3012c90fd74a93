#!/usr/bin/env node
// Regenerates the typed API client's types: `npm run gen:api -w @orderhub/web [-- <openapi url>]`.
// Without a URL the document comes from the gateway's build (run `npm run build` first), so no
// server is needed; with one (e.g. http://127.0.0.1:8080/openapi.json) from a running gateway.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const app = join(dirname(fileURLToPath(import.meta.url)), '..');
const url = process.argv[2];

async function openApiDocument() {
  if (url) return (await fetch(url)).json();
  const require = createRequire(import.meta.url);
  const { buildOpenApi } = require(join(app, '../../services/gateway/dist/openapi/openapi.js'));
  return buildOpenApi();
}

const documentPath = join(app, 'openapi.json');
writeFileSync(documentPath, JSON.stringify(await openApiDocument(), null, 2) + '\n');
execFileSync(process.execPath, [join(app, '../../node_modules/openapi-typescript/bin/cli.js'), documentPath, '-o', join(app, 'src/api/schema.d.ts')], {
  stdio: 'inherit',
});
