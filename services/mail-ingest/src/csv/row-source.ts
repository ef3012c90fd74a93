import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { type FileLimits, FileRefused, MAX_COLUMNS } from './file-limits';
import { readXlsxRows } from './xlsx-reader';

export type Cell = string | number | Date | null;

export interface SourceRow {
  /** 1-based line (CSV) or row (XLSX) number in the file, as the merchant sees it in an editor. */
  row: number;
  cells: Cell[];
  /** Columns whose text was longer than the cell limit and was cut. */
  cut?: number[];
}

export interface FileFormat {
  format: 'csv' | 'xlsx';
  encoding?: 'utf-8' | 'windows-1252' | 'utf-16le';
  separator?: string;
}

/** Looks at the first 64 KiB only: zip magic → xlsx; BOM / valid UTF-8 → utf-8, else windows-1252; the separator that occurs most. */
export async function sniffFormat(path: string): Promise<FileFormat> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead);
    if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return { format: 'xlsx' };
    let encoding: FileFormat['encoding'];
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) encoding = 'utf-8';
    else if (head[0] === 0xff && head[1] === 0xfe) encoding = 'utf-16le';
    else encoding = isUtf8(bytesRead === buf.length ? trimPartialUtf8(head) : head) ? 'utf-8' : 'windows-1252';
    const text = iconv.decode(head, encoding);
    return { format: 'csv', encoding, separator: detectSeparator(text) };
  } finally {
    await fh.close();
  }
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function trimPartialUtf8(bytes: Buffer): Buffer {
  const end = bytes.length;
  for (let i = 1; i <= 3 && end - i >= 0; i += 1) {
    const b = bytes[end - i]!;
    if ((b & 0xc0) === 0xc0) return bytes.subarray(0, end - i);
    if ((b & 0x80) === 0) break;
  }
  return bytes.subarray(0, end);
}

export function detectSeparator(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .slice(0, 10);
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  for (const line of lines) {
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

/**
 * Streams the rows of a spooled upload; memory stays flat however many rows the file has and
 * whatever it holds: a record past `maxRecordChars` stops the read with FileRefused, and cells
 * longer than `maxCellChars` are cut (their columns listed in `cut`, for a warning on the row).
 */
export async function* readRows(path: string, format: FileFormat, limits: FileLimits): AsyncGenerator<SourceRow> {
  const rows = format.format === 'xlsx' ? readXlsxRows(path, limits) : readCsvRows(path, format, limits);
  for await (const row of rows) yield cutLongCells(row, limits.maxCellChars);
}

function cutLongCells(row: SourceRow, max: number): SourceRow {
  let cut: number[] | undefined;
  const cells = row.cells.map((c, idx) => {
    if (typeof c !== 'string' || c.length <= max) return c;
    (cut ??= []).push(idx);
    return c.slice(0, max);
  });
  return cut ? { row: row.row, cells, cut } : row;
}

async function* readCsvRows(path: string, format: FileFormat, limits: FileLimits): AsyncGenerator<SourceRow> {
  const parser = createReadStream(path)
    .pipe(iconv.decodeStream(format.encoding ?? 'utf-8'))
    .pipe(
      parse({
        delimiter: format.separator ?? ',',
        bom: true,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        info: true,
        max_record_size: limits.maxRecordChars,
        // empty cells do not count towards max_record_size: bound their number per record here
        cast: (value: string, context: { index: number; lines: number }) => {
          if (context.index >= MAX_COLUMNS) throw new FileRefused(`line ${context.lines} has more than ${MAX_COLUMNS} columns`);
          return value;
        },
      }),
    );
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      // info.lines is where the record ends; a quoted cell may span lines, and the merchant looks for where it starts.
      const inner = item.record.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0);
      yield { row: item.info.lines - inner, cells: item.record };
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'CSV_MAX_RECORD_SIZE')
      throw new FileRefused(
        `a record near line ${(err as { lines?: number }).lines ?? '?'} is longer than ${limits.maxRecordChars} characters (an unclosed quote or a huge cell); no order row is that long`,
      );
    throw err;
  }
}
