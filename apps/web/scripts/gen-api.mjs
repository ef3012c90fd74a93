#!/usr/bin/env node
// Regenerates the typed API client's types: `npm run gen:api -w @orderhub/web -- [<openapi url>]`.
// With a URL (e.g. http://127.0.0.1:8080/openapi.json of `npm run dev`) the gateway's document is
// fetched into openapi.json first; the types are always generated from openapi.json. The e2e suite
// fails when openapi.json differs from the document of the gateway it runs against.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const app = join(dirname(fileURLToPath(import.meta.url)), '..');
const documentPath = join(app, 'openapi.json');
const url = process.argv[2];

if (url) writeFileSync(documentPath, JSON.stringify(await (await fetch(url)).json(), null, 2) + '\n');
execFileSync(process.execPath, [join(app, '../../node_modules/openapi-typescript/bin/cli.js'), documentPath, '-o', join(app, 'src/api/schema.d.ts')], {
  stdio: 'inherit',
});
