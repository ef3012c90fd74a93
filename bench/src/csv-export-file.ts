/**
 * A Jimdo order export (CSV, German locale, `;`) of exactly N rows written to a file order by order,
 * so generating 100 000 rows costs the benchmark client no more memory than one order. The rows come
 * from the mail-sender simulator (realistic names, umlauts, multi-line comments in quoted cells,
 * articles without SKU); every order has 1–5 line items (3 on average).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** The mail-sender simulator's library (plain JS from its build; bench does not reference its types). */
interface MailSenderCsv {
  generateJimdoOrder(o: { seed: number; shopKind: 'dolphin'; positions: number }): ExportOrder;
  JimdoCsvWriter: new (o: { locale: 'de'; separator: ';' }) => { start(): Buffer; order(o: ExportOrder): Buffer };
}
interface ExportOrder {
  orderNumber: string;
  positions: { name: string }[];
}
const mailSender = require('@orderhub/sim-mail-sender/dist/index.js') as MailSenderCsv;

/** One order in this many has a line item without an article name: its rows report `error` (a broken export). */
export const BROKEN_ORDER_EVERY = 1000;

export interface ExportFile {
  rows: number;
  orders: number;
  /** Orders with a broken row (not imported; their rows are `error`). */
  brokenOrders: number;
  brokenOrderRows: number;
  bytes: number;
}

/** `padNames` characters are added to every article name: issue 16's files had longer rows than the simulator writes. */
export async function writeJimdoExport(path: string, rows: number, { padNames = 0 } = {}): Promise<ExportFile> {
  const writer = new mailSender.JimdoCsvWriter({ locale: 'de', separator: ';' });
  const out = createWriteStream(path);
  const write = async (chunk: Buffer) => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  const file: ExportFile = { rows: 0, orders: 0, brokenOrders: 0, brokenOrderRows: 0, bytes: 0 };
  await write(writer.start());
  for (let i = 0; file.rows < rows; i += 1) {
    const order = mailSender.generateJimdoOrder({ seed: i + 1, shopKind: 'dolphin', positions: Math.min(1 + (i % 5), rows - file.rows) });
    // the simulator's order numbers repeat after 99 999 orders; an export's never do
    order.orderNumber = String(30_000_000 + i);
    if (padNames) for (const p of order.positions) p.name = `${p.name} ${'x'.repeat(padNames - 1)}`;
    if (i % BROKEN_ORDER_EVERY === BROKEN_ORDER_EVERY - 1) {
      order.positions[0]!.name = '';
      file.brokenOrders += 1;
      file.brokenOrderRows += order.positions.length;
    }
    await write(writer.order(order));
    file.rows += order.positions.length;
    file.orders += 1;
  }
  out.end();
  await once(out, 'finish');
  file.bytes = out.bytesWritten;
  return file;
}

/**
 * A Jimdo export whose `rows` rows all carry the same order number (one order of one line item,
 * repeated): the "huge single order" of issue 16, written row by row like the export above.
 */
export async function writeRepeatedOrderExport(
  path: string,
  rows: number,
  { padNames = 0 } = {},
): Promise<{ rows: number; bytes: number }> {
  const writer = new mailSender.JimdoCsvWriter({ locale: 'de', separator: ';' });
  const out = createWriteStream(path);
  const order = mailSender.generateJimdoOrder({ seed: 7, shopKind: 'dolphin', positions: 1 });
  if (padNames) for (const p of order.positions) p.name = `${p.name} ${'x'.repeat(padNames - 1)}`;
  const line = writer.order(order);
  if (!out.write(writer.start())) await once(out, 'drain');
  for (let i = 0; i < rows; i += 1) if (!out.write(line)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return { rows, bytes: out.bytesWritten };
}
