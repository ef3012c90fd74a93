/**
 * The web app's orders page in headless Chromium with WEB_BENCH_ORDERS stored orders (default
 * 10 000), against the same page of an account with 50 orders in the same run: the time from
 * navigation to the first page of the table rendered, and the list API call alone. Orders are
 * imported through the orders service as connectors send them. Needs the built app (`npm run build`).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT, waitFor } from '@orderhub/testkit';
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
    const load = loadavg()[0]!;
    const ratio = figures.large.render.p50 / figures.small.render.p50;
    writeResults('web-orders', { orders: LARGE, loads: LOADS, ...figures, ratio, importSeconds, load }, [
      ['stored orders (large account / small account)', `${LARGE} / ${SMALL}`],
      [`first page rendered after navigation, p50 / max ms (${LOADS} loads), ${LARGE} orders`, span(figures.large.render)],
      [`the same, ${SMALL} orders`, span(figures.small.render)],
      [`ratio ${LARGE} / ${SMALL} orders (p50)`, fmt(ratio, 2)],
      [`GET /api/v1/orders?limit=50 alone, p50 / max ms, ${LARGE} orders`, span(figures.large.api)],
      [`the same, ${SMALL} orders`, span(figures.small.api)],
      [
        `target: first page with ${LARGE} orders rendered in < 1 s`,
        `${figures.large.render.max < 1000 ? 'met' : figures.large.render.p50 < 1000 ? 'met at p50, not at max' : 'MISSED'} (p50 ${fmt(figures.large.render.p50)} ms, max ${fmt(figures.large.render.max)} ms)`,
      ],
      ['machine load (1-minute load average after the loads)', fmt(load, 2)],
      [`import of ${LARGE} orders through the orders service (s, not part of the figure)`, fmt(importSeconds)],
    ]);
  } finally {
    await hub.stop();
  }
}

const span = (s: { p50: number; max: number }) => `${fmt(s.p50)} / ${fmt(s.max)}`;

/**
 * Runs in the page before its scripts: notes the first frame after an order row entered the DOM, in
 * ms since the navigation started. Read in the page because Playwright's own waiting polls every
 * 500 ms after its first tries, which put up to half a second of waiting into the figure. (Page code as
 * text: this package compiles without the DOM's types. Polled with `evaluate`, which the app's CSP
 * allows, unlike `waitForFunction`.)
 */
const FIRST_ROW_CLOCK = `new MutationObserver((_, observer) => {
  if (!document.querySelector('[data-testid="order-row"]')) return;
  observer.disconnect();
  requestAnimationFrame(() => (window.firstRowPaintedAt = performance.now()));
}).observe(document, { childList: true, subtree: true });`;

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
    await page.addInitScript({ content: FIRST_ROW_CLOCK });
    await page.goto(`${base}/`);
    await page.getByLabel('API-Schlüssel Ihres Kontos').fill(apiKey);
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.getByTestId('order-row').first().waitFor({ timeout: 120_000 });
    const render: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      await page.goto(`${base}/orders`);
      render.push(
        await waitFor(async () => (await page.evaluate<number | undefined>('window.firstRowPaintedAt')) ?? false, {
          what: 'first order row',
          timeoutMs: 120_000,
          intervalMs: 20,
        }),
      );
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
