// Dependency audit of the production dependencies, blocking at moderate severity and above, minus the
// advisories listed (with a reason) in .ci/audit-exceptions.json:
//   1. `npm audit --omit=dev` when the registry's audit endpoint answers;
//   2. otherwise (no answer, or an error such as 405) the committed advisory list .ci/advisories.json
//      checked against package-lock.json, so the step never passes having checked nothing.
// Usage: node scripts/audit.js   (in the repository root; exit 1 lists the blocking advisories)
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const path = require('node:path');
const semver = require('semver');

const BLOCKING = new Set(['moderate', 'high', 'critical']);

/** Installed production packages of a package-lock.json (v2/v3): name → versions. */
function productionPackages(lock) {
  const found = new Map();
  for (const [where, entry] of Object.entries(lock.packages ?? {})) {
    if (!where.includes('node_modules/') || entry.dev || entry.devOptional || entry.link || !entry.version) continue;
    const name = where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (!found.has(name)) found.set(name, new Set());
    found.get(name).add(entry.version);
  }
  return found;
}

/** Advisories of the list that match an installed production package: `{ id, package, version, severity, title }[]`. */
function localAudit(lock, advisories) {
  const installed = productionPackages(lock);
  const findings = [];
  for (const a of advisories) {
    for (const version of installed.get(a.package) ?? []) {
      if (semver.satisfies(version, a.vulnerable)) findings.push({ id: a.id, package: a.package, version, severity: a.severity, title: a.title });
    }
  }
  return findings;
}

function npmAudit() {
  let report;
  try {
    report = execFileSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (err) {
    report = err.stdout;
  }
  let parsed;
  try {
    parsed = JSON.parse(report);
  } catch {
    return { unavailable: 'npm audit gave no JSON (registry audit endpoint not reachable?)' };
  }
  // A refused request (here: 405 from the bulk advisory endpoint) still prints JSON, without a report.
  if (parsed.error || !parsed.vulnerabilities) {
    const why = parsed.message ?? parsed.error?.summary ?? parsed.error?.code ?? 'no audit report';
    return { unavailable: `npm audit unavailable: ${why}` };
  }
  const findings = [];
  for (const [name, vuln] of Object.entries(parsed.vulnerabilities ?? {})) {
    const advisories = vuln.via.filter((v) => typeof v === 'object');
    for (const v of advisories) findings.push({ id: String(v.url ?? v.source), package: name, version: vuln.range, severity: v.severity ?? vuln.severity, title: v.title ?? '' });
    if (advisories.length === 0) findings.push({ id: `via ${vuln.via.join(', ')}`, package: name, version: vuln.range, severity: vuln.severity, title: '' });
  }
  return { findings };
}

function main() {
  const root = process.cwd();
  const exceptions = JSON.parse(readFileSync(path.join(root, '.ci/audit-exceptions.json'), 'utf8')).exceptions.map((e) => e.advisory);
  let { findings, unavailable } = npmAudit();
  let source = 'npm audit';
  if (unavailable) {
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
    const list = JSON.parse(readFileSync(path.join(root, '.ci/advisories.json'), 'utf8')).advisories;
    findings = localAudit(lock, list);
    source = `the committed advisory list .ci/advisories.json (${list.length} advisories)`;
    console.warn(`${unavailable}; checking package-lock.json against ${source}`);
  }
  const blocking = findings.filter((f) => BLOCKING.has(f.severity) && !exceptions.some((e) => f.id.includes(e)));
  if (blocking.length > 0) {
    console.error(`advisories in production dependencies (${source}):`);
    for (const f of blocking) console.error(`  ${f.package}@${f.version} (${f.severity}): ${f.id} ${f.title}`);
    process.exit(1);
  }
  console.log(`dependency audit (${source}): no advisory of moderate or higher severity in production dependencies`);
}

if (require.main === module) main();
module.exports = { localAudit, productionPackages };
