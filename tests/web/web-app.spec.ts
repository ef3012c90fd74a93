import { buildJimdoCsvExport, generateJimdoOrder } from '../../simulators/mail-sender/src';
import { HubClient, REPO_ROOT, simAdmin, type RunningSystem, waitFor } from '@orderhub/testkit';
import { Subjects } from '@orderhub/contracts';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import nodemailer from 'nodemailer';
import type { Page, Response as PageResponse } from 'playwright-core';
import {
  type AxeViolation,
  createAccount,
  launchBrowser,
  type Browser,
  screenshot,
  SCREENSHOTS,
  seriousViolations,
  startWebSystem,
} from './support';

/** Issue 18: the first page's scripts and styles, gzipped (apps/web/scripts/bundle-size.mjs counts the same from the build). */
const FIRST_PAGE_BUDGET_BYTES = 300 * 1024;

/**
 * Presses Tab until the focused element's label (or, for a button, its text) matches: the way a
 * keyboard user reaches a field. `kind` keeps a label shared by a field and its button apart.
 */
async function tabTo(page: Page, name: RegExp, kind: 'input' | 'button' | 'any' = 'any'): Promise<void> {
  for (let i = 0; i < 150; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      if (!el) return { tag: '', name: '' };
      const label = el.labels?.[0]?.textContent ?? el.getAttribute('aria-label') ?? el.textContent ?? '';
      return { tag: el.tagName.toLowerCase(), name: label.replace(/\s*\*$/, '').trim() };
    });
    const isKind = kind === 'any' || (kind === 'button' ? focused.tag === 'button' : focused.tag !== 'button');
    if (isKind && name.test(focused.name)) return;
  }
  throw new Error(`nothing labelled ${name} is reachable with the Tab key`);
}

/** The label of the focused element (for a button its text), as a keyboard user hears it. */
function focusedLabel(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    return (el?.labels?.[0]?.textContent ?? el?.getAttribute('aria-label') ?? el?.textContent ?? '').replace(/\s*\*$/, '').trim();
  });
}

/** In the focused native select, ArrowDown/ArrowUp until the option labelled `option` is chosen (each step fires change). */
async function chooseWithArrows(page: Page, option: string): Promise<void> {
  for (const key of ['ArrowDown', 'ArrowUp']) {
    for (let i = 0; i < 40; i++) {
      const chosen = await page.evaluate(() => {
        const el = document.activeElement as HTMLSelectElement | null;
        return el?.tagName === 'SELECT' ? (el.selectedOptions[0]?.textContent ?? '') : undefined;
      });
      if (chosen === undefined) throw new Error(`the focused element is no select (${await focusedLabel(page)})`);
      if (chosen === option) return;
      const before = chosen;
      await page.keyboard.press(key);
      const after = await page.evaluate(() => (document.activeElement as HTMLSelectElement).selectedOptions[0]?.textContent ?? '');
      if (after === before) break; // the end of the list: go the other way
    }
  }
  throw new Error(`the select ${await focusedLabel(page)} has no option "${option}"`);
}

/**
 * Types a date into the focused date field segment by segment. The field's order follows the
 * browser build's language (Debian's chromium ships en-US only: mm/dd/yyyy), not the page's locale:
 * day first, and when the field reads otherwise, back to its first segment and month first.
 */
async function typeDate(page: Page, iso: string): Promise<void> {
  const [year, month, day] = iso.split('-') as [string, string, string];
  await page.keyboard.type(`${day}${month}${year}`);
  if ((await page.evaluate(() => (document.activeElement as HTMLInputElement).value)) === iso) return;
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.type(`${month}${day}${year}`);
  expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe(iso);
}

/**
 * Issue 18 acceptance: the merchant's web app in headless Debian Chromium against the real gateway,
 * orders service, OTTO connector, mail-ingest and the OTTO simulator.
 */
describe('web app in headless Chromium', () => {
  let system: RunningSystem;
  const app = { url: '' };
  let browser: Browser;
  let page: Page;
  let apiKey: string;
  let accountId: string;
  const otto = { url: '', partnerId: '', username: 'web-e2e', password: 'web-e2e-secret' };
  let jimdoConnectionId = '';
  let shippedOrderPath = '';
  /** A second order of the OTTO channel, still paid: the one the cancel test cancels. */
  let paidOrderPath = '';
  /** The connection the channel test deletes behind the page's back (its 404 is expected). */
  let racedConnectionId = '';

  const go = async (path: string) => {
    await page.goto(`${app.url}${path}`);
  };
  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });

  beforeAll(async () => {
    system = await startWebSystem();
    app.url = system.service('gateway').url;
    ({ apiKey, accountId } = await createAccount(system, 'Web shop'));
    otto.url = system.simulator('otto-market').url;
    otto.partnerId = (
      await simAdmin(otto.url, 'POST', '/sellers', { username: otto.username, password: otto.password, products: 5 })
    ).partnerId;
    browser = await launchBrowser('de-DE');
    page = browser.page;
    page.setDefaultTimeout(30_000);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('the gateway serves the app at / and at deep links; assets are cached, the API keeps answering problems', async () => {
    const deepLink = await fetch(`${app.url}/orders/some-order`, { headers: { Accept: 'text/html' } });
    expect(deepLink.status).toBe(200);
    expect(deepLink.headers.get('cache-control')).toBe('no-cache');
    expect(deepLink.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await deepLink.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const script = await fetch(`${app.url}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toMatch(/immutable/);
    expect((await fetch(`${app.url}/assets/no-such-file.js`)).status).toBe(404);
    const api = await fetch(`${app.url}/api/v1/no-such-route`, { headers: { Accept: 'text/html', Authorization: `Bearer ${apiKey}` } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it("the app's typed client is generated from this gateway's OpenAPI document (npm run gen:api)", async () => {
    const served = await (await fetch(`${app.url}/openapi.json`)).json();
    const committedPath = join(REPO_ROOT, 'apps', 'web', 'openapi.json');
    // UPDATE_OPENAPI=1 writes the document; then `npm run gen:api -w @orderhub/web` regenerates the types
    if (process.env.UPDATE_OPENAPI === '1') writeFileSync(committedPath, JSON.stringify(served, null, 2) + '\n');
    expect(JSON.parse(readFileSync(committedPath, 'utf8'))).toEqual(served);
  });

  it('signs in with the account API key; German from the browser, switchable to English', async () => {
    await go('/');
    await page.getByLabel('API-Schlüssel Ihres Kontos').fill(apiKey);
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await heading('Bestellungen').waitFor();
    await page.getByText('EN', { exact: true }).click();
    await heading('Orders').waitFor();
    await page.getByText('DE', { exact: true }).click();
    await heading('Bestellungen').waitFor();
  });

  it('a user of the account signs in with name and password using only the keyboard; sign-out ends the session', async () => {
    const res = await fetch(`${app.url}/api/v1/users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'lager@shop.example', password: 'Lager-Passwort-2026' }),
    });
    expect(res.status).toBe(201);
    const user = await launchBrowser('de-DE');
    try {
      const p = user.page;
      await p.goto(`${app.url}/`);
      await p.getByLabel('Benutzername').waitFor();
      await p.locator('body').focus();
      await tabTo(p, /^Benutzername$/);
      await p.keyboard.type('lager@shop.example');
      await tabTo(p, /^Passwort$/);
      await p.keyboard.type('Lager-Passwort-2026');
      await p.keyboard.press('Enter');
      await p.getByRole('heading', { level: 1, name: 'Bestellungen' }).waitFor();
      const token = await p.evaluate(() => sessionStorage.getItem('orderhub.apiKey'));
      expect(token).toMatch(/^ohs_/);
      await p.getByRole('button', { name: 'Abmelden' }).click();
      await p.getByLabel('Benutzername').waitFor();
      await waitFor(
        async () => (await fetch(`${app.url}/api/v1/connections`, { headers: { Authorization: `Bearer ${token}` } })).status === 401,
        {
          what: 'the session ended',
        },
      );
      expect(user.errors).toEqual([]);
    } finally {
      await user.close();
    }
  });

  it('the link `npm run dev` prints (/#key=…) opens the orders signed in; that first page loads under 300 kB of gzipped scripts and styles', async () => {
    const visitor = await launchBrowser('de-DE');
    try {
      const assets: PageResponse[] = [];
      visitor.page.on('response', (r) => {
        if (new URL(r.url()).pathname.startsWith('/assets/')) assets.push(r);
      });
      await visitor.page.goto(`${app.url}/#key=${encodeURIComponent(apiKey)}`);
      await visitor.page.getByRole('heading', { level: 1, name: 'Bestellungen' }).waitFor();
      // the key left the address bar for the tab's session
      expect(new URL(visitor.page.url()).hash).toBe('');
      expect(await visitor.page.evaluate(() => sessionStorage.getItem('orderhub.apiKey'))).toBe(apiKey);
      const sizes = await Promise.all(assets.map(async (r) => ({ url: r.url(), gzip: gzipSync(await r.body(), { level: 9 }).length })));
      expect(sizes.some((s) => s.url.endsWith('.js')) && sizes.some((s) => s.url.endsWith('.css'))).toBe(true);
      const total = sizes.reduce((n, s) => n + s.gzip, 0);
      expect(total).toBeLessThan(FIRST_PAGE_BUDGET_BYTES);
      expect(visitor.errors).toEqual([]);
    } finally {
      await visitor.close();
    }
  });

  it('CONN-1 / CONN-2 / OTTO-1: "New" shows the capability matrix; the OTTO form creates a connection whose orders appear without reload', async () => {
    await page.getByRole('link', { name: 'Kanäle' }).click();
    await page.getByTestId('new-channel').click();
    const matrix = page.getByTestId('capability-matrix');
    await matrix.waitFor();
    expect(await matrix.getByRole('row', { name: /Bestellungen weiterleiten/ }).textContent()).toMatch(/–.*–.*–.*✓/);
    await page.getByTestId('new-otto').click();
    const form = page.getByTestId('channel-form-otto');
    // OTTO-1 defaults: sync both directions, import on, positions locked
    expect(await form.getByLabel('Synchronisationsrichtung').inputValue()).toBe('both');
    expect(await form.getByLabel('Bestellungen importieren').isChecked()).toBe(true);
    expect(await form.getByLabel('Bestellpositionen sperren').isChecked()).toBe(true);
    await form.getByLabel('Interner Name').fill('OTTO Test');
    await form.getByLabel('API-Benutzer (Login)').fill(otto.username);
    await form.getByLabel('API-Passwort').fill(otto.password);
    await form.getByLabel('API-URL').fill(otto.url);
    await form.getByLabel('Abrufen alle (Sekunden)').fill('5');
    // OTTO has no check before saving: the test says so in plain words (nothing is saved)
    await form.getByRole('button', { name: 'Verbindung testen' }).click();
    expect(await form.getByTestId('connection-test-result').textContent()).toContain('lässt sich nicht vorab prüfen');
    await form.getByRole('button', { name: 'Speichern' }).click();
    await page.getByTestId('channels-table').getByText('OTTO Test').waitFor();

    await page.getByRole('link', { name: 'Bestellungen' }).click();
    await heading('Bestellungen').waitFor();
    // the order events arrive as server-sent events from the gateway
    await page.getByTestId('live').filter({ hasText: 'Live' }).waitFor();
    const generated = await simAdmin(otto.url, 'POST', '/orders/generate', {
      partnerId: otto.partnerId,
      count: 3,
      fulfillmentStatus: 'PROCESSABLE',
    });
    const ids: string[] = generated.orders.map((o: { order: { salesOrderId: string } }) => o.order.salesOrderId);
    for (const id of ids) await page.locator(`[data-testid=order-row][data-external-id="${id}"]`).waitFor({ timeout: 60_000 });
    const link = page.locator(`[data-testid=order-row][data-external-id="${ids[0]}"] a`);
    shippedOrderPath = (await link.getAttribute('href')) ?? '';
    expect(shippedOrderPath).toMatch(/^\/orders\//);
    paidOrderPath = (await page.locator(`[data-testid=order-row][data-external-id="${ids[1]}"] a`).getAttribute('href')) ?? '';
  });

  it("the channel list shows each connection's health from the API (last success, orders today) and updates without reload", async () => {
    await page.getByRole('link', { name: 'Kanäle' }).click();
    const health = page.getByTestId('channel-row').filter({ hasText: 'OTTO Test' }).getByTestId('channel-health');
    await health.and(page.locator('[data-status=ok]')).waitFor({ timeout: 60_000 });
    await health.getByText(/zuletzt erfolgreich/).waitFor();
    await health
      .getByTestId('orders-today')
      .filter({ hasText: /^[3-9] Bestellungen heute importiert$/ })
      .waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Bestellungen' }).click();
  });

  it('a channel is edited, paused and deleted from its pages; its secrets are never shown again; a refused deletion is not reported as done', async () => {
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${app.url}/api/v1${path}`, {
        method,
        headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, text: await res.text() };
    };
    const create = async (name: string) => {
      const created = await api('POST', '/connections', {
        type: 'otto',
        // reads nothing from OTTO: an import under way when the channel is deleted would be parked
        // (HUB-16) and show up among the account's dead letters in a later test
        settings: { name, apiBaseUrl: otto.url, pollIntervalSeconds: 3600, syncDirection: 'hubToChannel' },
        secrets: { username: otto.username, password: otto.password },
      });
      expect(created.status).toBe(201);
      return JSON.parse(created.text).id as string;
    };
    const edited = await create('OTTO Bearbeiten');
    await go('/channels');
    const row = (name: string) => page.getByTestId('channel-row').filter({ hasText: name });
    await row('OTTO Bearbeiten').getByRole('link', { name: 'Bearbeiten', exact: true }).click();
    const form = page.getByTestId('channel-form-otto');
    await form.waitFor();
    // write-only: the stored secret is neither in the field nor anywhere in the page
    const password = form.getByLabel('API-Passwort');
    expect(await password.inputValue()).toBe('');
    expect(await password.getAttribute('placeholder')).toContain('leer lassen, um ihn zu behalten');
    expect(await page.content()).not.toContain(otto.password);
    await form.getByLabel('Interner Name').fill('OTTO Pausiert');
    await form.getByLabel('Aktiv', { exact: true }).setChecked(false);
    await form.getByRole('button', { name: 'Speichern' }).click();
    await row('OTTO Pausiert').getByTestId('channel-health').getByText('pausiert', { exact: true }).waitFor();
    const stored = await api('GET', `/connections/${edited}`);
    expect(stored.text).not.toContain(otto.password);
    const view = JSON.parse(stored.text) as { settings: { active: boolean; name: string }; secretsSet: string[] };
    expect(view.settings).toMatchObject({ active: false, name: 'OTTO Pausiert' });
    expect([...view.secretsSet].sort()).toEqual(['password', 'username']);

    const dialog = page.getByRole('dialog');
    await row('OTTO Pausiert').getByRole('button', { name: 'Löschen' }).click();
    await dialog.getByRole('button', { name: 'Löschen' }).click();
    await page.getByRole('status').filter({ hasText: 'Kanal gelöscht.' }).waitFor();
    await row('OTTO Pausiert').waitFor({ state: 'detached' });
    expect((await api('GET', `/connections/${edited}`)).status).toBe(404);

    // deleted elsewhere while the dialog was open: the page says so instead of "deleted"
    const raced = (racedConnectionId = await create('OTTO Doppelt'));
    await go('/channels');
    await row('OTTO Doppelt').getByRole('button', { name: 'Löschen' }).click();
    await dialog.waitFor();
    expect((await api('DELETE', `/connections/${raced}`)).status).toBe(204);
    await dialog.getByRole('button', { name: 'Löschen' }).click();
    await page.getByTestId('problem').filter({ hasText: 'Das gibt es nicht mehr.' }).waitFor();
    await row('OTTO Doppelt').waitFor({ state: 'detached' });
    expect(await page.getByRole('status').filter({ hasText: 'Kanal gelöscht.' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Bestellungen' }).click();
  });

  it('OTTO-3 / OTTO-4: shipping an OTTO order with a DHL shipment and return label is written back to OTTO', async () => {
    await page.locator(`a[href="${shippedOrderPath}"]`).first().click();
    const actions = page.getByTestId('order-actions');
    await actions.waitFor();
    const addShipment = async (type: string, tracking: string) => {
      await actions.getByLabel('Art').selectOption(type);
      await actions.getByLabel('Versanddienstleister').fill('DHL');
      await actions.getByLabel('Sendungsnummer').fill(tracking);
      await actions.getByRole('button', { name: 'Sendung hinzufügen' }).click();
      await page.getByTestId('shipments').getByText(tracking).waitFor();
    };
    await addShipment('shipment', '00340434161094042557');
    await addShipment('return', 'R00340434161094042557');
    await actions.getByLabel('Neuer Status').selectOption('4');
    await actions.getByRole('button', { name: 'Übernehmen' }).click();
    await page.getByTestId('order-state').filter({ hasText: 'versendet' }).waitFor();
    const writeBack = page.getByTestId('write-backs').getByRole('row', { name: /otto\.ship/ });
    await writeBack.waitFor({ timeout: 60_000 });
    expect(await writeBack.textContent()).toContain('ok');
  });

  it('a transition the rules forbid shows the reason in plain words (shipped → ordered; OTTO-2 invoice)', async () => {
    const actions = page.getByTestId('order-actions');
    await actions.getByLabel('Neuer Status').selectOption('1');
    await actions.getByRole('button', { name: 'Übernehmen' }).click();
    const problem = actions.getByTestId('problem');
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/nicht möglich|ungültig/i);
    expect(await problem.getByTestId('problem-detail').textContent()).toMatch(/shipped/);
    await actions.getByRole('button', { name: 'Rechnung erstellen' }).click();
    await problem.filter({ hasText: 'OTTO-2' }).waitFor();
  });

  it('OTTO-8 / OTTO-10: cancelling a paid OTTO order (after the browser asks) cancels it whole and is written back to OTTO', async () => {
    await go(paidOrderPath);
    const actions = page.getByTestId('order-actions');
    await actions.waitFor();
    const asked = new Promise<string>((resolve) =>
      page.once('dialog', (dialog) => {
        resolve(dialog.message());
        void dialog.accept();
      }),
    );
    await actions.getByRole('button', { name: 'Bestellung stornieren' }).click();
    expect(await asked).toBe('Die ganze Bestellung stornieren?');
    await page.getByTestId('order-state').filter({ hasText: 'storniert' }).waitFor();
    const writeBack = page.getByTestId('write-backs').getByRole('row', { name: /otto\.cancel/ });
    await writeBack.waitFor({ timeout: 60_000 });
    expect(await writeBack.textContent()).toContain('ok');
  });

  it("SSP-1 / WEM-1: the Serverspot and wemalo forms ask for the seed's fields, with its defaults", async () => {
    await go('/channels/new/serverspot');
    const serverspot = page.getByTestId('channel-form-serverspot');
    await serverspot.waitFor();
    for (const label of [
      'Interner Name',
      'API-URL des Shops',
      'Shop-Key',
      'Basic-Auth-Benutzer (optional)',
      'Basic-Auth-Passwort (optional)',
      'Synchronisationsrichtung',
      'Bestellungen importieren',
      'Bestellpositionen sperren / Rechnungserstellung verbieten',
      'SKU des Preisanpassungsartikels (optional)',
      'SMTP-Server für Mails an Käufer (optional)',
    ])
      await serverspot.getByLabel(label).waitFor();
    expect(await serverspot.getByLabel('Zahlungsziel (Tage)').inputValue()).toBe('14');
    expect(await serverspot.getByLabel('Synchronisationsrichtung').inputValue()).toBe('both');
    expect(await serverspot.getByLabel('Bestellungen importieren').isChecked()).toBe(true);
    expect(await serverspot.getByLabel('Shop-Key').getAttribute('type')).toBe('password');

    await go('/channels/new/wemalo');
    const wemalo = page.getByTestId('channel-form-wemalo');
    await wemalo.waitFor();
    expect(await wemalo.getByLabel('API-Passwort (Token)').getAttribute('type')).toBe('password');
    expect(await wemalo.getByLabel('Status, der eine Bestellung an wemalo freigibt').inputValue()).toBe('3');
    expect(await wemalo.getByLabel('Lagerort-ID (0 = Standard)').inputValue()).toBe('0');
    expect(await wemalo.getByLabel('Bestell-Tag').inputValue()).toBe('wemalo');
    expect(await wemalo.getByLabel('Abgleichintervall (Minuten)').inputValue()).toBe('60');
  });

  it('the main forms work with the keyboard alone: a shipment and a tag on the order, a new channel', async () => {
    await go(shippedOrderPath);
    await page.getByTestId('order-actions').waitFor();
    await page.locator('body').focus();
    await tabTo(page, /Versanddienstleister/);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('DPD');
    await tabTo(page, /Sendungsnummer/);
    await page.keyboard.type('KEYBOARD-4711');
    await tabTo(page, /^Sendung hinzufügen$/, 'button');
    await page.keyboard.press('Enter');
    await page.getByTestId('shipments').getByText('KEYBOARD-4711').waitFor();
    await tabTo(page, /^Tag hinzufügen$/, 'input');
    await page.keyboard.type('per-tastatur');
    await page.keyboard.press('Enter');
    await page
      .getByTestId('order-actions')
      .getByRole('button', { name: /per-tastatur/ })
      .waitFor();

    await go('/channels/new/jimdo');
    await page.getByTestId('channel-form-jimdo').waitFor();
    await page.locator('body').focus();
    await tabTo(page, /Interner Name/);
    await page.keyboard.type('Jimdo per Tastatur');
    await tabTo(page, /Ihre eigene Adresse/);
    await page.keyboard.type('keyboard@shop.example');
    await page.keyboard.press('Enter');
    await page.getByTestId('inbound-address').waitFor();
  });

  it('JIM-2 / JIM-5: a Jimdo channel shows its inbound address; a CSV with a broken row lists that row first with its reason', async () => {
    await go('/channels/new/jimdo');
    const form = page.getByTestId('channel-form-jimdo');
    await form.getByLabel('Interner Name').fill('Jimdo Shop');
    await form.getByLabel('Ihre eigene Adresse für eine Kopie jeder eingehenden Mail').fill('merchant@shop.example');
    await form.getByRole('button', { name: 'Speichern' }).click();
    const inbound = page.getByTestId('inbound-address');
    await inbound.waitFor();
    expect(await inbound.inputValue()).toMatch(/^[a-z0-9-]+-jimdo-orderimport@orders\.orderhub\.local$/);
    jimdoConnectionId = (await inbound.inputValue()).split('-jimdo-orderimport@')[0]!;

    const orders = Array.from({ length: 3 }, (_, i) => generateJimdoOrder({ seed: 9100 + i, locale: 'de', positions: 2 }));
    const lines = buildJimdoCsvExport(orders, { locale: 'de', separator: ';' }).toString('utf8').split('\r\n');
    const broken = lines.findIndex((l) => l.startsWith(`${orders[1]!.orderNumber};`));
    const cells = lines[broken]!.split(';');
    cells[8] = 'abc';
    lines[broken] = cells.join(';');
    await page.getByRole('link', { name: 'Importe' }).click();
    await page.getByTestId('import-file').waitFor();
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'jimdo-export.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n')) });
    await page.getByRole('button', { name: 'Hochladen und importieren' }).click();
    const rows = page.getByTestId('import-rows');
    await rows.waitFor({ timeout: 60_000 });
    const first = rows.locator('tbody tr').first();
    expect(await first.getAttribute('data-status')).toBe('error');
    expect(await first.textContent()).toContain('"abc" is not a number');
    expect(await page.getByTestId('import-counts').textContent()).toMatch(/\b[1-9] Fehler/);
  });

  it('the Jimdo upload works with the keyboard alone: file control and submit reached by Tab, progress and per-row result', async () => {
    const orders = Array.from({ length: 2 }, (_, i) => generateJimdoOrder({ seed: 9300 + i, locale: 'de', positions: 1 }));
    const lines = buildJimdoCsvExport(orders, { locale: 'de', separator: ';' }).toString('utf8').split('\r\n');
    const broken = lines.findIndex((l) => l.startsWith(`${orders[0]!.orderNumber};`));
    const cells = lines[broken]!.split(';');
    cells[8] = 'xyz';
    lines[broken] = cells.join(';');
    await go('/imports');
    await page.getByTestId('import-file').waitFor();
    await page.locator('body').focus();
    await tabTo(page, /^Exportdatei \(CSV oder XLSX\)$/);
    // the operating system's file dialog is no part of the page: the test chooses the file for it
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'tastatur.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n')) });
    await page.getByTestId('import-file').filter({ hasText: 'tastatur.csv' }).waitFor();
    await tabTo(page, /^Hochladen und importieren$/, 'button');
    await page.keyboard.press('Space');
    const job = page.getByTestId('import-job');
    await job.getByRole('progressbar').waitFor();
    await job.getByText('Import abgeschlossen').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-counts').textContent()).toMatch(/^1 importiert · 0 Duplikate · 1 Fehler$/);
    const rows = page.getByTestId('import-rows').locator('tbody tr');
    expect(await rows.first().getAttribute('data-status')).toBe('error');
    expect(await rows.first().textContent()).toContain('"xyz" is not a number');
    expect(await rows.nth(1).getAttribute('data-status')).toBe('imported');
  });

  it('the order filters work with the keyboard alone: state, channel, tag, date range and search narrow the table', async () => {
    const shippedId = shippedOrderPath.split('/').pop()!;
    const shipped = (await (
      await fetch(`${app.url}/api/v1/orders/${shippedId}`, { headers: { Authorization: `Bearer ${apiKey}` } })
    ).json()) as { externalId: string; orderNumber?: string; orderedAt: string };
    const rows = page.getByTestId('order-row');
    const externalIds = async () => (await rows.evaluateAll((r) => r.map((e) => e.getAttribute('data-external-id')))).sort();
    const only = (ids: string[]) =>
      waitFor(
        async () => {
          const shown = await externalIds();
          if (JSON.stringify(shown) !== JSON.stringify(ids.sort())) throw new Error(`it shows ${shown.join(', ') || 'none'}`);
          return true;
        },
        { what: `the table to show only ${ids.join(', ')}` },
      );
    await go('/orders');
    await rows.first().waitFor();
    const all = await externalIds();
    expect(all.length).toBeGreaterThanOrEqual(3);

    await page.locator('body').focus();
    await tabTo(page, /^Status$/);
    await chooseWithArrows(page, 'versendet');
    await only([shipped.externalId]);
    await chooseWithArrows(page, 'jeder Status');
    await tabTo(page, /^Kanal$/);
    await chooseWithArrows(page, 'OTTO Test');
    await waitFor(async () => (await externalIds()).length === 3 && (await externalIds()).includes(shipped.externalId), {
      what: "the OTTO channel's three orders",
    });
    await tabTo(page, /^Tag$/);
    await page.keyboard.type('per-tastatur');
    await only([shipped.externalId]);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Backspace');
    await waitFor(async () => (await externalIds()).length === 3, { what: 'the tag filter cleared' });

    // the day the order was placed, in the browser's time zone
    const day = await page.evaluate((at) => {
      const d = new Date(at);
      const iso = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
      return { iso, from: new Date(`${iso}T00:00:00`).toISOString() };
    }, shipped.orderedAt);
    const rangeAsked = page.waitForResponse(
      (r) => r.url().includes(`from=${encodeURIComponent(day.from)}`) && r.url().includes('&to=') && r.status() === 200,
    );
    await tabTo(page, /^Bestellt ab$/);
    await typeDate(page, day.iso);
    await tabTo(page, /^Bestellt bis$/);
    await typeDate(page, day.iso);
    expect(await page.getByLabel('Bestellt ab').inputValue()).toBe(day.iso);
    expect(await page.getByLabel('Bestellt bis').inputValue()).toBe(day.iso);
    await rangeAsked;
    await waitFor(async () => (await externalIds()).includes(shipped.externalId), { what: 'the order placed that day is listed' });
    await tabTo(page, /^Suche/);
    await page.keyboard.type(shipped.orderNumber ?? shipped.externalId);
    await page.keyboard.press('Enter');
    await only([shipped.externalId]);
    await tabTo(page, /^Filter zurücksetzen$/, 'button');
    await page.keyboard.press('Enter');
    await waitFor(async () => (await externalIds()).length === all.length, { what: 'all orders again' });
    expect(await page.getByLabel('Suche (Nummer, Käufer)').inputValue()).toBe('');
  });

  it('JIM: a parked order e-mail appears on the open Problems page without reload, with its reason, and can be retried and dropped', async () => {
    await page.getByRole('link', { name: 'Probleme' }).click();
    await heading('Probleme').waitFor();
    await page.getByTestId('no-parked').waitFor();
    // mail-ingest's notice reaches the page over the event stream (no polling while it is connected)
    await page.getByTestId('live').filter({ hasText: 'Live' }).waitFor();
    await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
    const inbound = `${jimdoConnectionId}-jimdo-orderimport@orders.orderhub.local`;
    const raw =
      `From: shop@jimdo.com\r\nTo: ${inbound}\r\nSubject: Neue Bestellung Nr. 770011 in deinem Shop\r\n` +
      `Message-ID: <web-parked-1@jimdo.com>\r\n\r\nBestellnummer: 770011\r\nBestelldatum: 20.11.2026, 10:15 Uhr\r\n\r\nDie Artikelliste fehlt.\r\n`;
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: system.smtpPort, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({ envelope: { from: 'shop@jimdo.com', to: [inbound] }, raw });
    } finally {
      transport.close();
    }
    const row = page.getByTestId('parked-mail').filter({ hasText: '770011' });
    await row.waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);
    expect((await row.locator('td').nth(3).textContent())?.length).toBeGreaterThan(0);
    await row.getByRole('button', { name: 'Erneut verarbeiten' }).click();
    await page.getByRole('status').filter({ hasText: 'Die E-Mail wird erneut gelesen.' }).waitFor();
    // still without articles it is parked again; the merchant takes the order by hand and drops the mail
    await waitFor(
      async () => {
        const res = await fetch(`${app.url}/api/v1/mail/parked`, { headers: { Authorization: `Bearer ${apiKey}` } });
        const { items } = (await res.json()) as { items: { orderNumber?: string }[] };
        return items.some((m) => m.orderNumber === '770011');
      },
      { timeoutMs: 60_000, what: 'the mail parked again' },
    );
    await go('/problems');
    await row.getByRole('button', { name: 'Verwerfen' }).click();
    await page.getByRole('status').filter({ hasText: 'Die E-Mail wurde von der Liste genommen' }).waitFor();
    await page.getByTestId('no-parked').waitFor();
  });

  it('parked shop orders are listed on the Problems page with the reason; retry says in plain words what happened, drop forgets one', async () => {
    const seller = { username: 'web-parked', password: 'web-parked-secret' };
    const { partnerId } = await simAdmin(otto.url, 'POST', '/sellers', { ...seller, products: 3 });
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${app.url}/api/v1${path}`, {
        method,
        headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
    const created = await api('POST', '/connections', {
      type: 'otto',
      settings: { name: 'OTTO Parkplatz', apiBaseUrl: otto.url, pollIntervalSeconds: 3600 },
      secrets: seller,
    });
    expect(created.status).toBe(201);
    const connectionId: string = created.body.id;
    const generated = await simAdmin(otto.url, 'POST', '/orders/generate', { partnerId, count: 3, fulfillmentStatus: 'PROCESSABLE' });
    const [noItems, badDate] = generated.orders.map((o: { order: { salesOrderId: string; orderNumber: string } }) => o.order) as {
      salesOrderId: string;
      orderNumber: string;
    }[];
    await simAdmin(otto.url, 'POST', `/orders/${noItems!.salesOrderId}/defect`, { defect: 'no-position-items' });
    await simAdmin(otto.url, 'POST', `/orders/${badDate!.salesOrderId}/defect`, { defect: 'invalid-order-date' });
    expect((await api('POST', `/connections/${connectionId}/sync`)).status).toBeLessThan(300);
    await waitFor(async () => (await api('GET', `/connections/${connectionId}/parked-orders`)).body.items.length === 2, {
      timeoutMs: 60_000,
      what: 'both broken OTTO orders parked',
    });

    await go('/problems');
    const row = (order: { salesOrderId: string }) =>
      page.locator(`[data-testid=parked-shop-order][data-external-id="${order.salesOrderId}"]`);
    await row(noItems!).waitFor();
    expect(await row(noItems!).textContent()).toContain('no position items');
    expect(await row(noItems!).textContent()).toContain('OTTO Parkplatz');
    expect(await row(badDate!).textContent()).toMatch(/order date ".+" is not a date/);
    expect(await seriousViolations(page)).toEqual([]);
    const notice = page.getByTestId('shop-order-notice');

    // OTTO still serves it without positions: it stays parked, and the page says why
    await row(noItems!).getByRole('button', { name: 'Erneut abrufen' }).click();
    await notice.filter({ hasText: 'Die Bestellung ist weiterhin nicht lesbar: no position items' }).waitFor();
    // fixed at OTTO: the retry imports it and links the order
    await simAdmin(otto.url, 'POST', `/orders/${noItems!.salesOrderId}/defect`, { defect: null });
    await row(noItems!).getByRole('button', { name: 'Erneut abrufen' }).click();
    await notice.filter({ hasText: 'Die Bestellung wurde jetzt gelesen und importiert.' }).waitFor({ timeout: 60_000 });
    await row(noItems!).waitFor({ state: 'detached' });
    expect(await notice.getByRole('link', { name: 'Bestellung öffnen' }).getAttribute('href')).toMatch(/^\/orders\/ord_/);

    const stranger = await createAccount(system, 'Stranger shop');
    const theirs = await fetch(`${app.url}/api/v1/connections/${connectionId}/parked-orders/${badDate!.salesOrderId}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${stranger.apiKey}` },
    });
    expect(theirs.status).toBe(404);
    await row(badDate!).getByRole('button', { name: 'Verwerfen' }).click();
    await notice.filter({ hasText: 'Die Bestellung wurde verworfen; sie wird nicht importiert.' }).waitFor();
    await page.getByTestId('no-shop-orders').waitFor();
    expect((await api('GET', `/connections/${connectionId}/parked-orders`)).body.items).toEqual([]);
    expect((await api('DELETE', `/connections/${connectionId}/parked-orders/${badDate!.salesOrderId}`)).status).toBe(404);
    // the order the merchant handles by hand was not imported
    const imported = await api('GET', `/orders?connectionId=${connectionId}&search=${badDate!.orderNumber}`);
    expect(imported.body.items).toEqual([]);
  });

  it('dead-lettered messages of the account are listed with the reason, replayed (by the orders service) or dropped; other accounts see none of them', async () => {
    const nc = system.rpc.nc;
    const shippedOrderId = shippedOrderPath.split('/').pop()!;
    const park = async (owner: string, orderId: string, action = 'dlq-test') => {
      const h = natsHeaders();
      h.set('Orderhub-Dlq-Reason', `order ${orderId} not found`);
      h.set('Orderhub-Dlq-Subject', 'channel.activity.report');
      h.set('Orderhub-Dlq-Deliveries', '5');
      h.set('Orderhub-Dlq-Parked-At', new Date().toISOString());
      const envelope = {
        eventId: `evt-${orderId}-${action}`,
        type: 'channel.activity.report',
        version: 1,
        occurredAt: new Date().toISOString(),
        accountId: owner,
        data: { orderId, connectionId: 'conn-dlq', action, outcome: 'ok' },
      };
      await nc.request(`${system.iso.natsPrefix}.dlq.channel.activity.report`, JSON.stringify(envelope), { headers: h, timeout: 10_000 });
    };
    const other = await createAccount(system, 'Other shop');
    await park(other.accountId, 'ord_other');
    await park(accountId, 'ord_mine');
    await park(accountId, shippedOrderId, 'dlq-replayed');
    const api = (key: string, path: string, method = 'GET') =>
      fetch(`${app.url}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${key}` } });
    const theirs = await (await api(other.apiKey, '/dead-letters')).json();
    expect(theirs.items.map((d: { orderId: string }) => d.orderId)).toEqual(['ord_other']);
    const mine = await (await api(apiKey, '/dead-letters')).json();
    expect(mine.items.map((d: { orderId: string }) => d.orderId)).toEqual(['ord_mine', shippedOrderId]);
    expect((await api(apiKey, `/dead-letters/${theirs.items[0].seq}`, 'DELETE')).status).toBe(404);
    expect((await api(other.apiKey, `/dead-letters/${mine.items[0].seq}/replay`, 'POST')).status).toBe(404);

    await go('/problems');
    // replay goes out under the orders service's NATS user (the gateway's may not publish commands)
    const replayed = page.getByTestId('dead-letter').filter({ hasText: shippedOrderId });
    await replayed.getByRole('button', { name: 'Erneut einspielen' }).click();
    await page.getByRole('status').filter({ hasText: 'Die Nachricht wurde erneut eingespielt.' }).waitFor();
    await replayed.waitFor({ state: 'detached' });
    const row = page.getByTestId('dead-letter').filter({ hasText: 'ord_mine' });
    await row.waitFor();
    expect(await row.textContent()).toContain('order ord_mine not found');
    await row.getByRole('button', { name: 'Verwerfen' }).click();
    await page.getByTestId('no-dead-letters').waitFor();
    expect((await (await api(other.apiKey, '/dead-letters')).json()).items).toHaveLength(1);
    // the replayed report reached the orders service: it is in the order's write-backs
    await go(shippedOrderPath);
    await page
      .getByTestId('write-backs')
      .getByRole('row', { name: /dlq-replayed/ })
      .waitFor({ timeout: 60_000 });
  });

  it('a write-back the channel did not take is resent from the order page; the answer in plain words; no serious accessibility violation', async () => {
    const orderId = shippedOrderPath.split('/').pop()!;
    const order = (await (
      await fetch(`${app.url}/api/v1/orders/${orderId}`, { headers: { Authorization: `Bearer ${apiKey}` } })
    ).json()) as {
      connectionId: string;
    };
    // the connector's report of a shipment OTTO did not take, as it sends one after its retries
    const hub = await HubClient.connect(system.iso);
    try {
      await hub.publishCommand(Subjects.channelActivityReport, accountId, {
        orderId,
        connectionId: order.connectionId,
        action: 'otto.ship',
        outcome: 'failed',
        detail: 'parked for resend after 5 attempts: OTTO answered 503',
      });
    } finally {
      await hub.close();
    }
    await go(shippedOrderPath);
    const resend = page.getByTestId('resend-write-back');
    const button = resend.getByRole('button', { name: 'Rückmeldung erneut senden' });
    await button.waitFor({ timeout: 60_000 });
    expect(await resend.textContent()).toContain('Der Kanal hat die letzte Rückmeldung noch nicht übernommen.');
    expect(await seriousViolations(page)).toEqual([]);
    await button.click();
    await resend.getByRole('status').filter({ hasText: 'Die Rückmeldung wird erneut an den Kanal gesendet.' }).waitFor();
    await page
      .getByTestId('history')
      .getByRole('row', { name: /write-back-resend/ })
      .waitFor();
    // the connector sends it again and reports what OTTO said (here OTTO-4 refuses: the keyboard test
    // added a second shipment): the write-back is no longer waiting or failed
    await button.waitFor({ state: 'detached', timeout: 60_000 });
    const newest = page
      .getByTestId('write-backs')
      .getByRole('row', { name: /otto\.ship/ })
      .first();
    expect(await newest.textContent()).not.toContain('parked for resend after 5 attempts');
  });

  it('keyset paging: "Weitere laden" lists every order once, in the API\'s order; an order arriving live loses none of the pages loaded', async () => {
    const authorization = { Authorization: `Bearer ${apiKey}` };
    // 60 Jimdo orders placed weeks ago: more than one page, all older than the orders of the tests above
    const orders = Array.from({ length: 60 }, (_, i) =>
      generateJimdoOrder({ seed: 9500 + i, locale: 'de', positions: 1, orderDate: new Date(Date.UTC(2026, 9, 1, 8) + i * 3_600_000) }),
    );
    const upload = await fetch(`${app.url}/api/v1/imports/csv?connectionId=${jimdoConnectionId}&skipDuplicates=true`, {
      method: 'POST',
      headers: { ...authorization, 'Content-Type': 'text/csv' },
      body: new Uint8Array(buildJimdoCsvExport(orders, { locale: 'de', separator: ';' })),
    });
    expect(upload.ok).toBe(true);
    const { jobId } = (await upload.json()) as { jobId: string };
    await waitFor(
      async () => {
        const job = (await (await fetch(`${app.url}/api/v1/imports/${jobId}`, { headers: authorization })).json()) as {
          state: string;
          orders: { imported: number };
        };
        return job.state === 'completed' && job.orders.imported === 60;
      },
      { timeoutMs: 60_000, what: 'the 60 orders imported' },
    );
    /** Every order of the account as the API pages them (newest first). */
    const allFromApi = async () => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await fetch(`${app.url}/api/v1/orders?limit=50${cursor ? `&cursor=${cursor}` : ''}`, { headers: authorization });
        const page = (await res.json()) as { items: { id: string }[]; nextCursor?: string };
        ids.push(...page.items.map((o) => o.id));
        cursor = page.nextCursor;
      } while (cursor);
      return ids;
    };
    const listed = () =>
      page.getByTestId('order-row').evaluateAll((rows) => rows.map((r) => r.querySelector('a')?.getAttribute('href')?.split('/').pop()));

    await go('/orders');
    await page.getByTestId('order-row').first().waitFor();
    const more = page.getByRole('button', { name: 'Weitere laden' });
    while ((await more.count()) > 0) {
      const before = (await listed()).length;
      await more.click();
      await waitFor(async () => (await listed()).length > before || (await more.count()) === 0, { what: 'the next page' });
    }
    const expected = await allFromApi();
    expect(expected.length).toBeGreaterThan(60);
    expect(await listed()).toEqual(expected);

    // a new OTTO order is the newest: it enters the first page and pushes that page's last order out of it
    const generated = await simAdmin(otto.url, 'POST', '/orders/generate', {
      partnerId: otto.partnerId,
      count: 1,
      fulfillmentStatus: 'PROCESSABLE',
    });
    const externalId: string = generated.orders[0].order.salesOrderId;
    await page.locator(`[data-testid=order-row][data-external-id="${externalId}"]`).waitFor({ timeout: 60_000 });
    const now = await allFromApi();
    expect(now.length).toBe(expected.length + 1);
    await waitFor(async () => JSON.stringify(await listed()) === JSON.stringify(now), {
      what: 'every order listed once, the new one among them',
    }).catch(async () => expect(await listed()).toEqual(now));
  });

  it('every main page in German and English: screenshot, no serious or critical accessibility violation (axe-core)', async () => {
    const pages: [string, string][] = [
      ['orders', '/orders'],
      ['order', shippedOrderPath],
      ['channels', '/channels'],
      ['channel-new', '/channels/new'],
      ['channel-otto-form', '/channels/new/otto'],
      ['channel-serverspot-form', '/channels/new/serverspot'],
      ['channel-wemalo-form', '/channels/new/wemalo'],
      ['channel-jimdo', `/channels/${jimdoConnectionId}`],
      ['imports', '/imports'],
      ['problems', '/problems'],
    ];
    const violations: Record<string, AxeViolation[]> = {};
    rmSync(join(SCREENSHOTS, 'axe-violations.json'), { force: true });
    for (const language of ['de', 'en'] as const) {
      await page.evaluate((l) => localStorage.setItem('orderhub.language', l), language);
      for (const [name, path] of pages) {
        await go(path);
        await page.locator('h1').first().waitFor();
        await page.waitForFunction(() => !document.querySelector('.mantine-Loader-root'));
        await screenshot(page, `${name}-${language}`);
        const found = await seriousViolations(page);
        if (found.length) violations[`${name}-${language}`] = found;
      }
    }
    // the sign-in page, signed out, in the language the browser asks for
    for (const [language, locale, title] of [
      ['de', 'de-DE', 'Anmelden'],
      ['en', 'en-US', 'Sign in'],
    ] as const) {
      const visitor = await launchBrowser(locale);
      try {
        await visitor.page.goto(`${app.url}/`);
        await visitor.page.getByRole('heading', { level: 1, name: new RegExp(title) }).waitFor();
        await screenshot(visitor.page, `sign-in-${language}`);
        const found = await seriousViolations(visitor.page);
        if (found.length) violations[`sign-in-${language}`] = found;
        expect(visitor.errors).toEqual([]);
      } finally {
        await visitor.close();
      }
    }
    if (Object.keys(violations).length) writeFileSync(join(SCREENSHOTS, 'axe-violations.json'), JSON.stringify(violations, null, 2));
    expect(violations).toEqual({});
  }, 300_000);

  it('no console errors on any page the tests visited', () => {
    // the refusals above are deliberate: the browser logs their 409/422 (and the raced deletion's 404) as failed loads
    const unexpected = browser.errors.filter(
      (e) =>
        !/status of (409|422) .*\/api\/v1\/orders\//.test(e) &&
        !(/status of 404/.test(e) && e.includes(`/connections/${racedConnectionId})`)),
    );
    expect(unexpected).toEqual([]);
  });
});
