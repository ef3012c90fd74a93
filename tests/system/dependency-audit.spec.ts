import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@orderhub/testkit';

interface Finding {
  id: string;
  package: string;
  version: string;
  severity: string;
}
const { localAudit } = require(join(REPO_ROOT, 'scripts', 'audit.js')) as {
  localAudit: (lock: unknown, advisories: unknown[]) => Finding[];
};
const advisories = (JSON.parse(readFileSync(join(REPO_ROOT, '.ci', 'advisories.json'), 'utf8')) as { advisories: unknown[] }).advisories;

const lockWith = (packages: Record<string, { version: string; dev?: boolean }>) => ({
  lockfileVersion: 3,
  packages: { '': { name: 'fixture' }, ...packages },
});

/** Issue 16: the dependency audit checks something even when the registry's audit endpoint does not answer. */
describe('issue 16: dependency audit with the committed advisory list', () => {
  it('flags nodemailer below the release that fixes the 2026 SMTP-injection advisories, also when nested', () => {
    const findings = localAudit(
      lockWith({
        'node_modules/nodemailer': { version: '7.0.13' },
        'node_modules/smtp-server/node_modules/nodemailer': { version: '8.0.4' },
      }),
      advisories,
    );
    expect(findings.filter((f) => f.version === '7.0.13').map((f) => f.id)).toEqual(
      expect.arrayContaining(['GHSA-c7w3-x93f-qmm8', 'GHSA-vvjj-xcjg-gr5g']),
    );
    expect(findings.filter((f) => f.version === '8.0.4').map((f) => f.id)).toContain('GHSA-vvjj-xcjg-gr5g');
  });

  it('passes a fixed release and ignores development-only packages', () => {
    expect(localAudit(lockWith({ 'node_modules/nodemailer': { version: '10.6.1' } }), advisories)).toEqual([]);
    expect(localAudit(lockWith({ 'node_modules/nodemailer': { version: '7.0.13', dev: true } }), advisories)).toEqual([]);
  });

  it("the repository's package-lock.json has no listed advisory in a production dependency", () => {
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as unknown;
    expect(localAudit(lock, advisories)).toEqual([]);
  });

  it('scripts/audit.js falls back to the list when the audit endpoint does not answer, and fails on a vulnerable lock', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderhub-audit-'));
    try {
      mkdirSync(join(dir, '.ci'));
      writeFileSync(join(dir, '.ci', 'audit-exceptions.json'), JSON.stringify({ exceptions: [] }));
      writeFileSync(join(dir, '.ci', 'advisories.json'), JSON.stringify({ advisories }));
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name: 'fixture', version: '1.0.0', dependencies: { nodemailer: '7.0.13' } }),
      );
      const lock = lockWith({ 'node_modules/nodemailer': { version: '7.0.13' } });
      writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'fixture', version: '1.0.0', ...lock }));
      const run = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'audit.js')], {
        cwd: dir,
        encoding: 'utf8',
        // No registry answers on this port: npm audit fails at once.
        env: {
          ...process.env,
          npm_config_registry: 'http://127.0.0.1:9/',
          npm_config_fetch_retries: '0',
          npm_config_fetch_timeout: '5000',
        },
        timeout: 60_000,
      });
      expect(run.stderr).toMatch(/advisories\.json/);
      expect(run.stderr).toMatch(/nodemailer@7\.0\.13 \(moderate\): GHSA-vvjj-xcjg-gr5g/);
      expect(run.status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
