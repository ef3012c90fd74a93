#!/usr/bin/env node
'use strict';
/**
 * Validates docker-compose.yml without a compose binary (none on CI or dev machines here):
 *   1. parses the YAML (with merge keys `<<`) and applies compose's ${VAR:-default} interpolation;
 *   2. validates against the Compose Specification JSON schema (compose-spec.json shipped by the
 *      `docker-compose` npm package, already installed as a dependency of testcontainers) with ajv;
 *   3. checks what the schema cannot: depends_on targets exist, `service_healthy` targets have an
 *      enabled healthcheck, `service_completed_successfully` targets are one-shot, published host
 *      ports are unique, build args WORKSPACE name a workspace with a package.json that the root
 *      Dockerfile can build, named volumes are declared, bind mounts exist, every Order Hub service
 *      is scraped by deploy/prometheus/prometheus.yml.
 * Usage: node scripts/check-compose.js [docker-compose.yml]   (exit 1 with a list of problems)
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const file = path.resolve(process.argv[2] ?? path.join(root, 'docker-compose.yml'));
const problems = [];
const notes = [];

function optionalRequire(name) {
  try {
    return require(require.resolve(name, { paths: [root] }));
  } catch {
    return undefined;
  }
}

const YAML = optionalRequire('yaml');
if (!YAML) {
  console.error('check-compose: the `yaml` package is missing: run `npm install` at the repository root');
  process.exit(2);
}

/** Compose interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, $VAR, $$ → $. */
function interpolate(value, where) {
  if (typeof value === 'string') {
    return value.replace(
      /\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
      (m, all, name, op, arg, bare) => {
        if (all === '$') return '$';
        const key = name ?? bare;
        const v = process.env[key];
        if (!op) {
          if (v === undefined) notes.push(`${where}: \${${key}} is not set (empty string)`);
          return v ?? '';
        }
        const unsetOrEmpty = v === undefined || (op.startsWith(':') && v === '');
        if (op.endsWith('-')) return unsetOrEmpty ? arg : v;
        if (op.endsWith('+')) return unsetOrEmpty ? '' : arg;
        if (unsetOrEmpty) problems.push(`${where}: required variable ${key}: ${arg}`);
        return v ?? '';
      },
    );
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, `${where}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, `${where}.${k}`)]));
  }
  return value;
}

let doc;
try {
  const parsed = YAML.parseDocument(fs.readFileSync(file, 'utf8'), { merge: true, prettyErrors: true });
  if (parsed.errors.length) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
  doc = interpolate(parsed.toJS({ maxAliasCount: 1000 }), '');
} catch (err) {
  console.error(`check-compose: ${path.relative(process.cwd(), file)} is not valid YAML:\n${err.message}`);
  process.exit(1);
}

// ---- 2. Compose Specification schema
let schemaPath;
try {
  schemaPath = require.resolve('docker-compose/schema/compose-spec.json', { paths: [root] });
} catch {
  schemaPath = undefined;
}
const Ajv = optionalRequire('ajv');
if (schemaPath && Ajv) {
  const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
  delete schema.$schema; // draft-07 document; ajv's default meta-schema validates it
  const ajv = new (Ajv.default ?? Ajv)({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  if (!validate(doc)) {
    for (const e of validate.errors) {
      const extra = e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : '';
      problems.push(`schema: ${e.instancePath || '/'} ${e.message}${extra}`);
    }
  }
  const spec = require(path.join(path.dirname(schemaPath), '..', 'package.json'));
  notes.push(`schema: compose-spec.json from docker-compose@${spec.version}`);
} else {
  notes.push('schema: compose-spec.json or ajv not installed; structural checks only');
}

// ---- 3. Structural checks
const services = doc.services ?? {};
const names = new Set(Object.keys(services));
if (names.size === 0) problems.push('no services defined');
const declaredVolumes = new Set(Object.keys(doc.volumes ?? {}));
const hostPorts = new Map();

function healthcheckEnabled(svc) {
  const hc = svc.healthcheck;
  if (hc && hc.disable) return false;
  if (hc && Array.isArray(hc.test) && hc.test[0] === 'NONE') return false;
  // A build from our Dockerfile carries its HEALTHCHECK; an explicit one is still required here so
  // the compose file says what "healthy" means.
  return Boolean(hc && hc.test);
}

for (const [name, svc] of Object.entries(services)) {
  const where = `services.${name}`;
  if (!svc.image && !svc.build) problems.push(`${where}: neither image nor build`);

  const deps = Array.isArray(svc.depends_on)
    ? Object.fromEntries(svc.depends_on.map((d) => [d, { condition: 'service_started' }]))
    : (svc.depends_on ?? {});
  for (const [dep, spec] of Object.entries(deps)) {
    if (!names.has(dep)) {
      problems.push(`${where}.depends_on: unknown service "${dep}"`);
      continue;
    }
    if (dep === name) problems.push(`${where}.depends_on: depends on itself`);
    const condition = spec.condition ?? 'service_started';
    if (condition === 'service_healthy' && !healthcheckEnabled(services[dep])) {
      problems.push(`${where}.depends_on.${dep}: condition service_healthy but "${dep}" has no enabled healthcheck`);
    }
    if (condition === 'service_completed_successfully' && !['no', undefined].includes(services[dep].restart)) {
      problems.push(`${where}.depends_on.${dep}: waits for completion but "${dep}" restarts (${services[dep].restart})`);
    }
  }

  for (const port of svc.ports ?? []) {
    let hostIp = '0.0.0.0';
    let published;
    let protocol = 'tcp';
    if (typeof port === 'object') {
      published = port.published;
      hostIp = port.host_ip ?? hostIp;
      protocol = port.protocol ?? protocol;
    } else {
      const [spec, proto] = String(port).split('/');
      protocol = proto ?? protocol;
      const parts = spec.split(':');
      if (parts.length === 3) [hostIp, published] = parts;
      else if (parts.length === 2) [published] = parts;
    }
    if (published === undefined || published === '') continue;
    const key = `${published}/${protocol}`;
    const clash = hostPorts.get(key);
    if (clash && (clash.hostIp === hostIp || clash.hostIp === '0.0.0.0' || hostIp === '0.0.0.0')) {
      problems.push(`${where}.ports: host port ${key} already published by ${clash.service}`);
    }
    hostPorts.set(key, { service: name, hostIp });
  }

  if (svc.build) {
    const build = typeof svc.build === 'string' ? { context: svc.build } : svc.build;
    const context = path.resolve(path.dirname(file), build.context ?? '.');
    const dockerfile = path.resolve(context, build.dockerfile ?? 'Dockerfile');
    if (!fs.existsSync(dockerfile)) problems.push(`${where}.build: ${path.relative(root, dockerfile)} does not exist`);
    const args = Array.isArray(build.args) ? Object.fromEntries(build.args.map((a) => a.split('='))) : (build.args ?? {});
    const dockerfileText = fs.existsSync(dockerfile) ? fs.readFileSync(dockerfile, 'utf8') : '';
    if (/^\s*ARG\s+WORKSPACE\b/m.test(dockerfileText)) {
      const ws = args.WORKSPACE;
      if (!ws) problems.push(`${where}.build.args: WORKSPACE missing (the Dockerfile needs it)`);
      else if (!fs.existsSync(path.join(context, ws, 'package.json'))) {
        problems.push(`${where}.build.args.WORKSPACE: "${ws}" is not a workspace folder with a package.json`);
      } else {
        const rootPkg = JSON.parse(fs.readFileSync(path.join(context, 'package.json'), 'utf8'));
        const globs = rootPkg.workspaces ?? [];
        const covered = globs.some((g) => (g.endsWith('/*') ? path.dirname(ws) === g.slice(0, -2) : g === ws));
        if (!covered) problems.push(`${where}.build.args.WORKSPACE: "${ws}" is not listed in the root package.json workspaces`);
      }
    }
  }

  for (const vol of svc.volumes ?? []) {
    const source = typeof vol === 'object' ? vol.source : String(vol).split(':')[0];
    const type = typeof vol === 'object' ? vol.type : undefined;
    if (!source || (typeof vol !== 'object' && !String(vol).includes(':'))) continue;
    if (source.startsWith('.') || source.startsWith('/') || type === 'bind') {
      if (!fs.existsSync(path.resolve(path.dirname(file), source))) problems.push(`${where}.volumes: bind source ${source} does not exist`);
    } else if (!declaredVolumes.has(source)) {
      problems.push(`${where}.volumes: named volume "${source}" is not declared under top-level volumes`);
    }
  }
}

// Every Order Hub service (built from services/*) must be a Prometheus target.
const promFile = path.join(root, 'deploy/prometheus/prometheus.yml');
if (fs.existsSync(promFile)) {
  const prom = YAML.parse(fs.readFileSync(promFile, 'utf8'));
  const targets = new Set((prom.scrape_configs ?? []).flatMap((c) => (c.static_configs ?? []).flatMap((s) => s.targets ?? [])));
  for (const [name, svc] of Object.entries(services)) {
    const ws = svc.build && svc.build.args && svc.build.args.WORKSPACE;
    if (!ws || !ws.startsWith('services/') || svc.restart === 'no') continue;
    // a service with METRICS_PORT serves /metrics there, not on its HTTP port
    const port = svc.environment && (svc.environment.METRICS_PORT ?? svc.environment.HTTP_PORT);
    if (!targets.has(`${name}:${port}`))
      problems.push(`deploy/prometheus/prometheus.yml: service ${name} (${name}:${port}) is not scraped`);
  }
}

const rel = path.relative(process.cwd(), file) || file;
for (const n of notes) console.log(`check-compose: ${n}`);
if (problems.length) {
  console.error(`check-compose: ${rel} has ${problems.length} problem(s):`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log(`check-compose: ${rel} valid (${names.size} services, compose schema + structural checks)`);
