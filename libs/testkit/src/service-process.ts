import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { REPO_ROOT } from './local-binaries';
import { testNatsCredentials } from './nats-auth';
import { freePort, waitFor } from './ports';

/**
 * Database connections of a service on FerretDB v1 (SQLite). One where writers of one database file
 * compete: FerretDB serves one connection's requests faster than many. mail-ingest's workers mostly
 * read single mails by `_id` from a database file of their own: with one connection it fell behind
 * 33 mails/s in e2e (e-mail p50 36 s), with eight it kept up (2.2 s).
 */
export function ferretDbPoolSize(service: string): string {
  return service === 'mail-ingest' ? '8' : '1';
}

/**
 * A service under test, run as its own process from its build (`npm run build` first), so tests see
 * what production runs and can kill -9 it mid-stream. It connects to NATS as its own user, with the
 * subject permissions the deployments give it.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  readonly output: string[] = [];

  private constructor(
    readonly entry: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly readyPath = '/health/ready',
    /** Where `/metrics` is served: the HTTP port, or METRICS_PORT for a service that has one (the gateway). */
    readonly metricsPort = port,
  ) {}

  static async start(workspace: string, env: Record<string, string>, options: { waitReady?: boolean } = {}): Promise<ServiceProcess> {
    const port = await freePort();
    const metricsPort = workspace === 'services/gateway' ? await freePort() : port;
    const proc = new ServiceProcess(
      entryOf(workspace),
      port,
      {
        LOG_LEVEL: 'warn',
        ...(process.env.ORDERHUB_TEST_FERRETDB ? { MONGO_MAX_POOL_SIZE: ferretDbPoolSize(basename(workspace)) } : {}),
        ...testNatsCredentials(basename(workspace)),
        ...env,
        HTTP_PORT: String(port),
        HTTP_HOST: '127.0.0.1',
        ...(metricsPort !== port ? { METRICS_PORT: String(metricsPort) } : {}),
      },
      '/health/ready',
      metricsPort,
    );
    await proc.launch(options.waitReady ?? true);
    return proc;
  }

  /** A simulator from its build (`simulators/<name>`): listens on PORT, ready at `/_admin/health`. */
  static async startSimulator(workspace: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
    const port = await freePort();
    const proc = new ServiceProcess(entryOf(workspace), port, { ...env, PORT: String(port), HOST: '127.0.0.1' }, '/_admin/health');
    await proc.launch(true);
    return proc;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `${metricsUrl}/metrics` is the service's Prometheus endpoint. */
  get metricsUrl(): string {
    return `http://127.0.0.1:${this.metricsPort}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  logs(): string {
    return this.output.join('');
  }

  async launch(waitReady = true): Promise<void> {
    const child = spawn(process.execPath, [this.entry], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => this.output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => this.output.push(d.toString()));
    if (waitReady) await this.waitReady();
  }

  // Starting several Node services at once on a loaded 2-core machine can take most of a minute; a longer
  // wait costs nothing when they are quick.
  async waitReady(timeoutMs = 90_000): Promise<void> {
    await waitFor(
      async () => {
        if (!this.running) throw new Error(`exited early:\n${this.logs().slice(-3000)}`);
        const res = await fetch(`${this.url}${this.readyPath}`).catch(() => undefined);
        return res?.status === 200;
      },
      { timeoutMs, what: `${this.entry} ready`, intervalMs: 200 },
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\n--- output ---\n${this.logs().slice(-3000)}`);
    });
  }

  /** Graceful stop (SIGTERM) or a crash (SIGKILL); resolves with the exit code once the process is gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const child = this.child;
    if (!child || !this.running) return child?.exitCode ?? null;
    return new Promise((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill(signal);
    });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }
}

function entryOf(workspace: string): string {
  const entry = join(REPO_ROOT, workspace, 'dist', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` before the tests`);
  return entry;
}
