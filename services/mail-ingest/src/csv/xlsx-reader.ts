import { StringDecoder } from 'node:string_decoder';
import { pipeline, type Readable } from 'node:stream';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { expansionGuard, type FileLimits, FileRefused, MAX_COLUMNS, xmlRunGuard } from './file-limits';
import type { Cell, SourceRow } from './row-source';

/** More distinct strings than any order export has; each costs memory while the sheet is read. */
const MAX_SHARED_STRINGS = 1_000_000;
const SMALL_PART_BYTES = 4 * 2 ** 20;

/** Excel's built-in number formats that show a date or time. */
const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);

/**
 * Checks an xlsx's central directory before any part is decompressed: the upload is refused at once
 * when the declared sizes already exceed the limits. Declared sizes can lie; the streaming guards
 * in `readXlsxRows` hold the limits on the real bytes.
 */
export async function inspectXlsx(path: string, limits: FileLimits): Promise<void> {
  const zip = await openZip(path);
  try {
    let total = 0;
    for await (const entry of zip.eachEntry()) {
      total += entry.uncompressedSize;
      if (entry.fileName === 'xl/sharedStrings.xml' && entry.uncompressedSize > limits.maxSharedStringsBytes)
        throw new FileRefused(
          `the workbook's shared strings expand to ${entry.uncompressedSize} bytes (limit ${limits.maxSharedStringsBytes})`,
        );
      if (total > limits.maxExpandedBytes)
        throw new FileRefused(
          `the workbook expands to more than ${limits.maxExpandedBytes} bytes; export the orders as CSV or in smaller files`,
        );
    }
  } finally {
    zip.close();
  }
}

/**
 * Streams the rows of the first worksheet of an xlsx with bounded memory: every part is decompressed
 * through a byte budget, XML text runs are bounded, cells are cut at `maxCellChars` (+1 to tell that
 * they were longer), and shared strings are held only up to their own limit.
 */
export async function* readXlsxRows(path: string, limits: FileLimits): AsyncGenerator<SourceRow> {
  const zip = await openZip(path);
  try {
    const entries = new Map<string, Entry>();
    for await (const entry of zip.eachEntry()) entries.set(entry.fileName, entry);
    const budget = { left: limits.maxExpandedBytes, total: limits.maxExpandedBytes };
    const part = async (name: string, max: number): Promise<Readable | undefined> => {
      const entry = entries.get(name);
      if (!entry) return undefined;
      const raw = await zip.openReadStreamPromise(entry);
      // pipeline, not pipe: a failure anywhere (a guard, or yauzl finding more bytes than declared) ends the read
      return pipeline(raw, expansionGuard(name, max, budget), xmlRunGuard(name, limits.maxRecordChars), () => undefined);
    };
    const sheetName = await firstSheetPath(part);
    const sharedStrings = await readSharedStrings(await part('xl/sharedStrings.xml', limits.maxSharedStringsBytes), limits);
    const dateStyles = await readDateStyles(await part('xl/styles.xml', SMALL_PART_BYTES));
    const sheet = await part(sheetName, limits.maxExpandedBytes);
    if (!sheet) throw new FileRefused(`the workbook has no worksheet ${sheetName}`);
    yield* readSheet(sheet, sharedStrings, dateStyles, limits);
  } finally {
    zip.close();
  }
}

async function openZip(path: string): Promise<ZipFile> {
  try {
    return await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  } catch (err) {
    throw new FileRefused(`the file is not a readable xlsx workbook: ${err instanceof Error ? err.message : String(err)}`);
  }
}

type SaxEvent = { kind: 'open'; tag: SaxesTagPlain } | { kind: 'text'; text: string } | { kind: 'close'; name: string };

/** XML events chunk by chunk (saxes is synchronous; events of one chunk are handed out together). */
async function* xmlEvents(stream: Readable): AsyncGenerator<SaxEvent[]> {
  const parser = new SaxesParser();
  let events: SaxEvent[] = [];
  let failure: Error | undefined;
  parser.on('error', (err) => (failure ??= err));
  parser.on('opentag', (tag) => events.push({ kind: 'open', tag: tag as SaxesTagPlain }));
  parser.on('text', (text) => events.push({ kind: 'text', text }));
  parser.on('closetag', (tag) => events.push({ kind: 'close', name: tag.name }));
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parser.write(decoder.write(chunk));
      if (failure) throw new FileRefused(`the workbook's XML is broken: ${failure.message}`);
      yield events;
      events = [];
    }
    parser.close();
    if (failure) throw new FileRefused(`the workbook's XML is broken: ${(failure as Error).message}`);
    yield events;
  } catch (err) {
    if (err instanceof FileRefused) throw err;
    throw new FileRefused(`the workbook cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    stream.destroy();
  }
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);
const attr = (tag: SaxesTagPlain, name: string): string | undefined => {
  const v = (tag.attributes as Record<string, string>)[name];
  return typeof v === 'string' ? v : undefined;
};

/** The first sheet in the workbook's tab order (xl/workbook.xml + its relationships), else sheet1. */
async function firstSheetPath(part: (name: string, max: number) => Promise<Readable | undefined>): Promise<string> {
  const fallback = 'xl/worksheets/sheet1.xml';
  const book = await part('xl/workbook.xml', SMALL_PART_BYTES);
  let relId: string | undefined;
  if (book)
    for await (const events of xmlEvents(book))
      for (const e of events) if (e.kind === 'open' && local(e.tag.name) === 'sheet' && !relId) relId = attr(e.tag, 'r:id');
  const rels = await part('xl/_rels/workbook.xml.rels', SMALL_PART_BYTES);
  if (!relId || !rels) return fallback;
  let target: string | undefined;
  for await (const events of xmlEvents(rels))
    for (const e of events)
      if (e.kind === 'open' && local(e.tag.name) === 'Relationship' && attr(e.tag, 'Id') === relId) target = attr(e.tag, 'Target');
  if (!target) return fallback;
  return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
}

async function readSharedStrings(stream: Readable | undefined, limits: FileLimits): Promise<string[]> {
  const strings: string[] = [];
  if (!stream) return strings;
  let current: string | undefined;
  let inText = false;
  let phonetic = 0;
  for await (const events of xmlEvents(stream)) {
    for (const e of events) {
      if (e.kind === 'open') {
        const name = local(e.tag.name);
        if (name === 'si') current = '';
        else if (name === 'rPh') phonetic += 1;
        else if (name === 't' && phonetic === 0) inText = true;
      } else if (e.kind === 'text') {
        if (inText && current !== undefined && current.length <= limits.maxCellChars)
          current = (current + e.text).slice(0, limits.maxCellChars + 1);
      } else {
        const name = local(e.name);
        if (name === 't') inText = false;
        else if (name === 'rPh') phonetic -= 1;
        else if (name === 'si') {
          if (strings.length >= MAX_SHARED_STRINGS)
            throw new FileRefused(`the workbook has more than ${MAX_SHARED_STRINGS} distinct texts; export the orders as CSV`);
          strings.push(current ?? '');
          current = undefined;
        }
      }
    }
  }
  return strings;
}

/** Indexes of the cell styles that show numbers as dates (Excel stores dates as day numbers). */
async function readDateStyles(stream: Readable | undefined): Promise<Set<number>> {
  const dates = new Set<number>();
  if (!stream) return dates;
  const customDate = new Set<number>();
  let inCellXfs = false;
  let xf = 0;
  for await (const events of xmlEvents(stream)) {
    for (const e of events) {
      if (e.kind === 'open') {
        const name = local(e.tag.name);
        if (name === 'numFmt') {
          const code = (attr(e.tag, 'formatCode') ?? '').replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
          if (/[dmyhs]/i.test(code)) customDate.add(Number(attr(e.tag, 'numFmtId')));
        } else if (name === 'cellXfs') inCellXfs = true;
        else if (name === 'xf' && inCellXfs) {
          const id = Number(attr(e.tag, 'numFmtId') ?? 0);
          if (BUILTIN_DATE_FORMATS.has(id) || customDate.has(id)) dates.add(xf);
          xf += 1;
        }
      } else if (e.kind === 'close' && local(e.name) === 'cellXfs') inCellXfs = false;
    }
  }
  return dates;
}

function columnIndex(ref: string | undefined, fallback: number): number {
  const letters = ref ? /^[A-Z]+/i.exec(ref)?.[0] : undefined;
  if (!letters) return fallback;
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** Excel day number (1900 system) → the wall-clock time it shows, as a UTC Date. */
const excelDate = (serial: number) => new Date(Math.round((serial - 25569) * 86_400_000));

async function* readSheet(stream: Readable, shared: string[], dateStyles: Set<number>, limits: FileLimits): AsyncGenerator<SourceRow> {
  let row: SourceRow | undefined;
  let lastRow = 0;
  let cell: { col: number; type: string; style: number; text: string } | undefined;
  let capture = false;
  const cap = limits.maxCellChars + 1;
  for await (const events of xmlEvents(stream)) {
    const ready: SourceRow[] = [];
    for (const e of events) {
      if (e.kind === 'open') {
        const name = local(e.tag.name);
        if (name === 'row') {
          lastRow = Number(attr(e.tag, 'r')) || lastRow + 1;
          row = { row: lastRow, cells: [] };
        } else if (name === 'c' && row) {
          const col = columnIndex(attr(e.tag, 'r'), row.cells.length);
          if (col >= MAX_COLUMNS) throw new FileRefused(`row ${row.row} has a cell beyond column ${MAX_COLUMNS}`);
          cell = { col, type: attr(e.tag, 't') ?? 'n', style: Number(attr(e.tag, 's') ?? -1), text: '' };
        } else if ((name === 'v' || name === 't') && cell) capture = true;
      } else if (e.kind === 'text') {
        if (capture && cell && cell.text.length < cap) cell.text = (cell.text + e.text).slice(0, cap);
      } else {
        const name = local(e.name);
        if (name === 'v' || name === 't') capture = false;
        else if (name === 'c' && cell && row) {
          while (row.cells.length < cell.col) row.cells.push(null);
          row.cells[cell.col] = cellValue(cell, shared, dateStyles);
          cell = undefined;
        } else if (name === 'row' && row) {
          ready.push(row);
          row = undefined;
        }
      }
    }
    yield* ready;
  }
}

function cellValue(c: { type: string; style: number; text: string }, shared: string[], dateStyles: Set<number>): Cell {
  switch (c.type) {
    case 's':
      return shared[Number(c.text)] ?? null;
    case 'inlineStr':
    case 'str':
    case 'e':
      return c.text;
    case 'b':
      return c.text === '1' ? 'true' : 'false';
    case 'd':
      return Number.isNaN(Date.parse(c.text)) ? c.text : new Date(c.text);
    default: {
      if (c.text === '') return null;
      const n = Number(c.text);
      if (!Number.isFinite(n)) return c.text;
      return dateStyles.has(c.style) ? excelDate(n) : n;
    }
  }
}
