import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { testNatsServerConfig } from './nats-auth';
import { freePort, waitForPort } from './ports';

export const REPO_ROOT = resolve(__dirname, '../../..');

/** Folder with the Go-built backends; `scripts/backends.sh` builds whatever is missing there. */
export function backendBinDir(): string {
  const dir = join(process.env.ORDERHUB_CACHE ?? join(homedir(), '.cache', 'orderhub'), 'bin');
  if (!existsSync(join(dir, 'nats-server')) || !existsSync(join(dir, 'ferretdb-sqlite'))) {
    execFileSync('bash', [join(REPO_ROOT, 'scripts', 'backends.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return dir;
}

/** A backend process this test run owns: it can be stopped, killed and restarted on the same port and data. */
export class LocalServer {
  private child?: ChildProcess;

  constructor(
    readonly name: string,
    readonly port: number,
    readonly dataDir: string,
    private readonly command: string,
    private readonly args: string[],
  ) {}

  get url(): string {
    return this.name === 'nats' ? `nats://127.0.0.1:${this.port}` : `mongodb://127.0.0.1:${this.port}/`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<this> {
    this.child = spawn(this.command, this.args, {
      stdio: ['ignore', 'ignore', process.env.ORDERHUB_BACKEND_LOGS ? 'inherit' : 'ignore'],
      env: { ...process.env, DO_NOT_TRACK: '1' },
    });
    await waitForPort(this.port);
    return this;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolveExit) => {
      child.once('exit', () => resolveExit());
      child.kill(signal);
    });
    this.child = undefined;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async destroy(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** nats-server with the deployments' per-service users and permissions (libs/testkit/src/nats-auth.ts). */
export async function spawnNatsServer(options: { monitorPort?: number } = {}): Promise<LocalServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'orderhub-nats-'));
  const config = join(dir, 'auth.conf');
  writeFileSync(config, testNatsServerConfig());
  const server = new LocalServer('nats', port, dir, join(backendBinDir(), 'nats-server'), [
    '-c',
    config,
    '-a',
    '127.0.0.1',
    '-p',
    String(port),
    '-js',
    '-sd',
    dir,
    '--no_advertise',
    ...(options.monitorPort ? ['-m', String(options.monitorPort)] : []),
  ]);
  return server.start();
}

/**
 * FerretDB v1 on SQLite: a MongoDB-wire server for machines without Docker; telemetry stays off.
 * Services this process starts afterwards use one database connection (see ServiceProcess).
 */
export async function spawnFerretDb(): Promise<LocalServer> {
  process.env.ORDERHUB_TEST_FERRETDB = '1';
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'orderhub-ferretdb-'));
  const server = new LocalServer('ferretdb', port, dir, join(backendBinDir(), 'ferretdb-sqlite'), [
    '-listen-addr',
    `127.0.0.1:${port}`,
    '-sqlite-dir',
    dir,
    '-log-level',
    'error',
  ]);
  return server.start();
}
