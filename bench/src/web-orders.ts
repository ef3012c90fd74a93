/**
 * The web app's orders page in headless Chromium with WEB_BENCH_ORDERS stored orders (default
 * 10 000), against the same page of an account with 50 orders in the same run: the time from
 * navigation to the first page of the table rendered, and the list API call alone. Orders are
 * imported through the orders service as connectors send them. Needs the built app (`npm run build`).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from '@orderhub/testkit';
import { HubUnderBench } from './hub-under-bench';
import { writeResults } from './results';
import { fmt, summarize } from './stats';

const LARGE = Number(process.env.WEB_BENCH_ORDERS ?? 10_000);
const SMALL = 50;
const LOADS = Number(process.env.WEB_BENCH_LOADS ?? 10);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The flags of the browser tests: off the network, fresh profile. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-gpu'];

async function main(): Promise<void> {
  if (!existsSync(join(REPO_ROOT, 'apps', 'web', 'dist', 'index.html'))) throw new Error('build the web app first (npm run build)');
  const hub = await HubUnderBench.start({ RATE_LIMIT_PER_SECOND: '1000', RATE_LIMIT_BURST: '2000' });
  try {
    const small = await hub.account('web bench small');
    const large = await hub.account('web bench large');
    await hub.importOrders(small, SMALL);
    const importStarted = Date.now();
    await hub.importOrders(large, LARGE);
    const importSeconds = (Date.now() - importStarted) / 1000;
    const figures = { small: await measure(hub, small.apiKey), large: await measure(hub, large.apiKey) };
    const ratio = figures.large.render.p50 / figures.small.render.p50;
    writeResults('web-orders', { orders: LARGE, loads: LOADS, ...figures, ratio, importSeconds }, [
      ['stored orders (large account / small account)', `${LARGE} / ${SMALL}`],
      [`first page rendered after navigation, p50 / max ms (${LOADS} loads), ${LARGE} orders`, span(figures.large.render)],
      [`the same, ${SMALL} orders`, span(figures.small.render)],
      [`ratio ${LARGE} / ${SMALL} orders (p50)`, fmt(ratio, 2)],
      [`GET /api/v1/orders?limit=50 alone, p50 / max ms, ${LARGE} orders`, span(figures.large.api)],
      [`the same, ${SMALL} orders`, span(figures.small.api)],
      [`import of ${LARGE} orders through the orders service (s, not part of the figure)`, fmt(importSeconds)],
    ]);
  } finally {
    await hub.stop();
  }
}

const span = (s: { p50: number; max: number }) => `${fmt(s.p50)} / ${fmt(s.max)}`;

/** Signs in with the key, then loads the orders page LOADS times (after one load that warms the cache). */
async function measure(hub: HubUnderBench, apiKey: string) {
  const base = hub.gateway.url;
  const api: number[] = [];
  for (let i = 0; i <= LOADS; i++) {
    const t0 = performance.now();
    const res = await fetch(`${base}/api/v1/orders?limit=50`, { headers: { Authorization: `Bearer ${apiKey}` } });
    if (res.status !== 200) throw new Error(`GET /api/v1/orders: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    if (i > 0) api.push(performance.now() - t0);
  }
  const profile = mkdtempSync(join(tmpdir(), 'orderhub-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    locale: 'de-DE',
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${base}/`);
    await page.getByLabel('API-Schlüssel Ihres Kontos').fill(apiKey);
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.getByTestId('order-row').first().waitFor({ timeout: 120_000 });
    const render: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const t0 = performance.now();
      await page.goto(`${base}/orders`);
      await page.getByTestId('order-row').first().waitFor({ timeout: 120_000 });
      render.push(performance.now() - t0);
    }
    return { render: summarize(render), api: summarize(api) };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(1);
});
