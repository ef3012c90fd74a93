#!/usr/bin/env node
// The whole system on one machine without Docker: local NATS + FerretDB (unless NATS_URL/MONGO_URL
// are given), every service, every simulator, demo data. Ctrl-C stops everything.
// Run through `npm run dev` (scripts/dev.sh puts Node 24 on PATH and builds first).
const { spawn, execFileSync } = require('node:child_process');
const { mkdirSync, existsSync } = require('node:fs');
const { join } = require('node:path');
const { homedir } = require('node:os');

const root = join(__dirname, '..');
const dataDir = join(root, '.tmp', 'dev');
mkdirSync(dataDir, { recursive: true });
const bin = join(process.env.ORDERHUB_CACHE || join(homedir(), '.cache', 'orderhub'), 'bin');
const children = [];

function start(name, command, args, env = {}) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, DO_NOT_TRACK: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${name}] `;
  const forward = (stream) => (chunk) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .forEach((line) => stream.write(prefix + line + '\n'));
  child.stdout.on('data', forward(process.stdout));
  child.stderr.on('data', forward(process.stderr));
  child.on('exit', (code, signal) => {
    if (!shuttingDown) process.stderr.write(`${prefix}exited (${signal ?? code})\n`);
  });
  children.push(child);
  return child;
}

async function waitHttp(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

let shuttingDown = false;
function shutdown() {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const c of children.reverse()) c.kill('SIGTERM');
  setTimeout(() => process.exit(0), 3_000).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

async function main() {
  let natsUrl = process.env.NATS_URL;
  let mongoBase = process.env.MONGO_URL;
  const ferretDb = !mongoBase;
  if (!natsUrl || !mongoBase) {
    execFileSync('bash', [join(root, 'scripts', 'backends.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if (!natsUrl) {
    mkdirSync(join(dataDir, 'nats'), { recursive: true });
    start('nats', join(bin, 'nats-server'), ['-a', '127.0.0.1', '-p', '14222', '-js', '-sd', join(dataDir, 'nats')]);
    natsUrl = 'nats://127.0.0.1:14222';
  }
  if (!mongoBase) {
    start('ferretdb', join(bin, 'ferretdb-sqlite'), [
      '-listen-addr',
      '127.0.0.1:27018',
      '-sqlite-dir',
      join(dataDir, 'ferretdb'),
      '-log-level',
      'warn',
    ]);
    mongoBase = 'mongodb://127.0.0.1:27018/';
    process.env.MONGO_MAX_POOL_SIZE = process.env.MONGO_MAX_POOL_SIZE || '1'; // FerretDB v1: one connection is fastest
  }
  await new Promise((r) => setTimeout(r, 1_000));
  const db = (name) => new URL(name, mongoBase.endsWith('/') ? mongoBase : mongoBase + '/').toString();
  const common = {
    NATS_URL: natsUrl,
    LOG_LEVEL: process.env.LOG_LEVEL || 'info',
    SECRETS_KEYS: process.env.SECRETS_KEYS || 'demo:ZGVtby1vbmx5LWtleS1kby1ub3QtdXNlLWluLXByb2Q=',
    SECRETS_ACTIVE_KEY: process.env.SECRETS_ACTIVE_KEY || 'demo',
    INBOUND_MAIL_DOMAIN: 'orders.orderhub.local',
  };
  const node = process.execPath;
  const sims = [
    ['otto-market', 7101, { OTTO_SIM_DEMO_RATE_MS: '5000' }],
    ['custom-shop', 7102, { CUSTOM_SHOP_SIM_DEMO_RATE_MS: '7000' }],
    ['wemalo', 7103, { WEMALO_SIM_AUTO_SHIP_SECONDS: '20' }],
  ];
  for (const [name, port, env] of sims) {
    if (existsSync(join(root, 'simulators', name, 'dist', 'main.js')))
      start(`sim-${name}`, node, [`simulators/${name}/dist/main.js`], { PORT: String(port), ...env });
  }
  start('mailbox', node, ['scripts/dev-mailbox.js'], { MAILBOX_PORT: '1025' });
  const services = [
    // the simulators run on loopback over http: an operator's explicit allowance (production allows none)
    [
      'orders',
      8081,
      { MONGO_URL: db('orderhub'), CONNECTION_URL_ALLOW_HOSTS: process.env.CONNECTION_URL_ALLOW_HOSTS || '127.0.0.1,localhost' },
    ],
    ['gateway', 8080, {}],
    ['channel-otto', 8082, {}],
    ['channel-serverspot', 8083, {}],
    [
      'mail-ingest',
      8084,
      {
        MONGO_URL: db('orderhub_mail'),
        SMTP_PORT: '2525',
        FORWARD_SMTP_HOST: '127.0.0.1',
        FORWARD_SMTP_PORT: '1025',
        // its workers read mails by id from a database file of their own (see ferretDbPoolSize in libs/testkit)
        ...(ferretDb ? { MONGO_MAX_POOL_SIZE: '8' } : {}),
      },
    ],
    ['fulfillment-wemalo', 8085, {}],
    ['webhooks', 8086, { MONGO_URL: db('orderhub_webhooks') }],
  ];
  for (const [name, port, env] of services) {
    if (!existsSync(join(root, 'services', name, 'dist', 'main.js'))) continue;
    start(name, node, [`services/${name}/dist/main.js`], { ...common, HTTP_PORT: String(port), ...env });
    if (name === 'orders') await waitHttp(`http://127.0.0.1:${port}/health/ready`);
  }
  for (const [name, port] of services) {
    if (existsSync(join(root, 'services', name, 'dist', 'main.js'))) await waitHttp(`http://127.0.0.1:${port}/health/ready`);
  }
  const seed = join(root, 'services', 'orders', 'dist', 'cli', 'seed-demo.js');
  let demoKey;
  if (existsSync(seed)) {
    const seeded = execFileSync(node, [seed], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...common, MONGO_URL: db('orderhub') },
    });
    process.stdout.write(seeded);
    demoKey = /^API key:\s+(\S+)/m.exec(seeded.toString())?.[1];
  }
  // the key rides in the URL fragment, which the browser never sends; the app moves it to the tab's session
  if (demoKey) process.stdout.write(`\nWeb app (demo account signed in): http://127.0.0.1:8080/#key=${encodeURIComponent(demoKey)}\n`);
  process.stdout.write(
    '\nOrder Hub is running. Gateway http://127.0.0.1:8080 (API docs /docs), health on /health/ready of ports 8080-8085.\n' +
      'Demo API key and connections: see the seed output above. Ctrl-C stops everything.\n',
  );
}

main().catch((err) => {
  process.stderr.write(`dev: ${err.stack || err}\n`);
  shutdown();
  process.exitCode = 1;
});
