import type { NatsConnection } from '@nats-io/nats-core';
import { freePort, isolate, ServiceProcess, waitFor } from '@orderhub/testkit';
import ExcelJS from 'exceljs';
import { buildJimdoCsvExport, generateJimdoOrder, type JimdoOrder } from '../../../simulators/mail-sender/src';
import { importCommands, serveConnections, storeImports } from './support';

const CONN = 'csv1';
const ACCOUNT = 'acc-csv';

interface Job {
  jobId: string;
  state: string;
  rowsProcessed?: number;
  rows: { imported: number; duplicate: number; error: number };
  orders: { imported: number; duplicate: number; error: number };
  errors: { row: number; orderNumber?: string; reason: string }[];
  encoding?: string;
  separator?: string;
  locale?: string;
}

describe('CSV/XLSX order import (JIM-5, CONN-3)', () => {
  const iso = isolate('mailcsv');
  let service: ServiceProcess;
  let stopStoring: (() => Promise<void>) | undefined;
  let peer: NatsConnection;

  const orders = (from: number, n: number, locale: 'de' | 'en' = 'de'): JimdoOrder[] =>
    Array.from({ length: n }, (_, i) => generateJimdoOrder({ seed: from + i, locale, positions: 2 + (i % 2) }));

  const upload = async (
    body: Buffer,
    opts: { multipart?: boolean; account?: string; connectionId?: string; skipDuplicates?: boolean; name?: string } = {},
  ) => {
    const url = `${service.url}/imports/csv?connectionId=${opts.connectionId ?? CONN}&skipDuplicates=${opts.skipDuplicates ?? true}`;
    const headers: Record<string, string> = opts.account === '' ? {} : { 'X-Account-Id': opts.account ?? ACCOUNT };
    // The test's buffers are never shared; the DOM lib (for tests/web) types Blob parts and fetch bodies as ArrayBuffer-backed.
    const bytes = body as Buffer<ArrayBuffer>;
    if (opts.multipart ?? true) {
      const form = new FormData();
      form.append('file', new Blob([bytes]), opts.name ?? 'export.csv');
      return fetch(url, { method: 'POST', body: form, headers });
    }
    return fetch(url, { method: 'POST', body: bytes, headers: { ...headers, 'Content-Type': 'text/csv' } });
  };
  const finished = async (jobId: string): Promise<Job> =>
    waitFor(
      async () => {
        const res = await fetch(`${service.url}/imports/${jobId}`, { headers: { 'X-Account-Id': ACCOUNT } });
        const job = (await res.json()) as Job;
        return job.state !== 'running' ? job : undefined;
      },
      { what: `job ${jobId}`, timeoutMs: 60_000 },
    );
  const run = async (body: Buffer, opts?: Parameters<typeof upload>[1]) => {
    const res = await upload(body, opts);
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };
    return finished(jobId);
  };

  beforeAll(async () => {
    peer = await serveConnections(iso.natsUrl, iso.natsPrefix, [
      { id: CONN, accountId: ACCOUNT, forwardTo: 'm@shop.example' },
      { id: 'foreign', accountId: 'acc-other', forwardTo: 'o@shop.example' },
    ]);
    service = await ServiceProcess.start('services/mail-ingest', {
      MONGO_URL: iso.mongoUrl,
      NATS_URL: iso.natsUrl,
      NATS_PREFIX: iso.natsPrefix,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(await freePort()),
      FORWARD_ENABLED: 'false',
    });
    stopStoring = await storeImports(peer, iso.natsPrefix);
  });

  afterAll(async () => {
    await service?.stop();
    await stopStoring?.();
    await peer?.close();
  });

  it('a job is completed only once the orders service has stored its orders, not when they are handed in', async () => {
    await stopStoring?.(); // the orders service is busy: nothing is acknowledged
    stopStoring = undefined;
    const list = orders(700, 3);
    const rows = list.reduce((n, o) => n + o.positions.length, 0);
    const res = await upload(buildJimdoCsvExport(list, { locale: 'de' }));
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };
    const view = async () =>
      (await (await fetch(`${service.url}/imports/${jobId}`, { headers: { 'X-Account-Id': ACCOUNT } })).json()) as Job;
    // every row read and every order handed in, and still running
    await waitFor(async () => (await view()).rowsProcessed === rows || undefined, { what: 'all rows processed' });
    const cmds = await waitFor(
      async () => {
        const handedIn = (await importCommands(peer, iso.natsPrefix)).filter((c) =>
          list.some((o) => o.orderNumber === c.data.order.externalId),
        );
        return handedIn.length === 3 ? handedIn : undefined;
      },
      { what: 'the three orders handed in' },
    );
    expect(cmds).toHaveLength(3);
    expect((await view()).state).toBe('running');
    stopStoring = await storeImports(peer, iso.natsPrefix);
    expect(await finished(jobId)).toMatchObject({ state: 'completed', orders: { imported: 3 } });
  });

  it('JIM-5: imports a German export (one row per item) grouped into orders; the same file again reports duplicates', async () => {
    const list = orders(100, 6);
    const file = buildJimdoCsvExport(list, { locale: 'de', encoding: 'utf-8-bom', separator: ';' });
    const rows = list.reduce((n, o) => n + o.positions.length, 0);
    const job = await run(file);
    expect(job).toMatchObject({
      state: 'completed',
      separator: ';',
      locale: 'de',
      rows: { imported: rows, duplicate: 0, error: 0 },
      orders: { imported: 6 },
    });
    const cmds = (await importCommands(peer, iso.natsPrefix)).filter((c) => list.some((o) => o.orderNumber === c.data.order.externalId));
    expect(cmds).toHaveLength(6);
    const first = cmds.find((c) => c.data.order.externalId === list[0]!.orderNumber)!;
    expect(first.data.order.positions).toHaveLength(list[0]!.positions.length);
    // JIM-3: items without SKU stay without sku
    expect(first.data.order.positions.map((p) => p.sku)).toEqual(list[0]!.positions.map((p) => p.sku));

    const again = await run(file);
    expect(again).toMatchObject({ state: 'completed', rows: { imported: 0, duplicate: rows, error: 0 }, orders: { duplicate: 6 } });
  });

  it('JIM-5: broken rows are reported with their row numbers while the good orders import', async () => {
    const list = orders(200, 4, 'en');
    const text = buildJimdoCsvExport(list, { locale: 'en', separator: ',' }).toString('utf8').split('\r\n');
    // records are split by CRLF; a comment cell may hold an LF, so a record's line is counted in the file
    const lineOf = (record: number) => (record === 0 ? 1 : text.slice(0, record).join('\r\n').split('\n').length + 1);
    // break the gross price of the first item of order #2, blank the order number of the first row of order #4
    const order2Record = text.findIndex((l) => l.startsWith(`${list[1]!.orderNumber},`));
    const cells = text[order2Record]!.split(',');
    cells[8] = 'abc';
    text[order2Record] = cells.join(',');
    const order4Record = text.findIndex((l) => l.startsWith(`${list[3]!.orderNumber},`));
    text[order4Record] = text[order4Record]!.replace(/^[^,]+,/, ',');
    const order2Line = lineOf(order2Record);
    const order4Line = lineOf(order4Record);
    const job = await run(Buffer.from(text.join('\r\n')), { multipart: false });
    expect(job.state).toBe('completed');
    expect(job.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          row: order2Line,
          orderNumber: list[1]!.orderNumber,
          reason: expect.stringContaining('"abc" is not a number'),
        }),
        expect.objectContaining({ row: order4Line, reason: 'order number is empty' }),
      ]),
    );
    // orders 1 and 3 complete; order 4 without the row that has no order number (that row is reported)
    expect(job.orders.imported).toBe(3);
    const cmds = await importCommands(peer, iso.natsPrefix);
    expect(cmds.some((c) => c.data.order.externalId === list[1]!.orderNumber)).toBe(false);
    expect(cmds.some((c) => c.data.order.externalId === list[0]!.orderNumber)).toBe(true);
    expect(cmds.some((c) => c.data.order.externalId === list[2]!.orderNumber)).toBe(true);
  });

  it('reads a Windows-1252, tab-separated French export with a title row', async () => {
    const list = orders(300, 3);
    const file = buildJimdoCsvExport(list, { locale: 'fr', separator: '\t', encoding: 'windows-1252', titleRow: true });
    const job = await run(file, { multipart: false });
    expect(job).toMatchObject({
      state: 'completed',
      encoding: 'windows-1252',
      separator: '\t',
      locale: 'fr',
      orders: { imported: 3, error: 0 },
    });
    const cmds = (await importCommands(peer, iso.natsPrefix)).filter((c) => c.data.order.externalId === list[0]!.orderNumber);
    expect(cmds[0]!.data.order.positions[0]!.title).toContain(list[0]!.positions[0]!.name);
  });

  it('reads an .xlsx export with the streaming reader', async () => {
    const list = orders(400, 3);
    const csv = buildJimdoCsvExport(list, { locale: 'de', separator: ';' }).toString('utf8').trim().split('\r\n');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Bestellungen');
    ws.addRow(['Bestellungen']);
    for (const line of csv) ws.addRow(line.split(';'));
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const job = await run(file, { name: 'export.xlsx' });
    expect(job).toMatchObject({ state: 'completed', orders: { imported: 3, error: 0 } });
  });

  it('requires the gateway account header and a connection of that account', async () => {
    const file = buildJimdoCsvExport(orders(500, 1), { locale: 'de' });
    expect((await upload(file, { account: '' })).status).toBe(401);
    expect((await upload(file, { connectionId: 'foreign' })).status).toBe(404);
  });
});
