import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRefused, type FileLimits } from '../src/csv/file-limits';
import { readRows, type SourceRow } from '../src/csv/row-source';
import { inspectXlsx } from '../src/csv/xlsx-reader';
import { parseMoney } from '../src/jimdo/values';
import { hugeCellBomb, sharedStringsBomb } from '@orderhub/testkit';

const limits: FileLimits = {
  maxCellChars: 1000,
  maxRecordChars: 256 * 1024,
  maxExpandedBytes: 512 * 2 ** 20,
  maxSharedStringsBytes: 32 * 2 ** 20,
};

describe('upload limits and strict values (issue 16)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mail-limits-'));
  let n = 0;
  const file = (content: Buffer | string) => {
    const path = join(dir, `f${(n += 1)}`);
    writeFileSync(path, content);
    return path;
  };
  const all = async (path: string, format: 'csv' | 'xlsx') => {
    const rows: SourceRow[] = [];
    for await (const r of readRows(path, format === 'csv' ? { format, encoding: 'utf-8', separator: ';' } : { format }, limits))
      rows.push(r);
    return rows;
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('JIM-5: the money parser reads whole amounts only: 12abc, 1e308 and 12.3.4 are not numbers', () => {
    for (const bad of ['12abc', '1e308', '12.3.4', '1.234.56', '12,3,4', 'abc', '€', '--5', '1 2 3,4.5'])
      expect([bad, parseMoney(bad)]).toEqual([bad, undefined]);
    expect(parseMoney('1.234,56 €')).toBe(1234.56);
    expect(parseMoney('€1,234.56')).toBe(1234.56);
    expect(parseMoney('CHF 1\u00a0234.50')).toBe(1234.5);
    expect(parseMoney('12.90 EUR')).toBe(12.9);
    expect(parseMoney('-2,50')).toBe(-2.5);
    expect(parseMoney('-€2,50')).toBe(-2.5);
    expect(parseMoney('19 %')).toBe(19);
    expect(parseMoney('7,5')).toBe(7.5);
    expect(parseMoney('1.234')).toBe(1234);
    expect(parseMoney('0.125')).toBe(0.125);
    expect(parseMoney("1'234.50")).toBe(1234.5);
  });

  it('JIM-5: a cell over 1 000 characters is cut and its column reported, not cut silently', async () => {
    const rows = await all(file(`Nr.;Artikel\r\n1001;${'x'.repeat(1500)}\r\n`), 'csv');
    expect(rows[1]).toMatchObject({ row: 2, cut: [1] });
    expect((rows[1]!.cells[1] as string).length).toBe(1000);
    expect(rows[0]!.cut).toBeUndefined();
  });

  it('a CSV record larger than the record limit stops the read with a clear reason', async () => {
    const path = file(`Nr.;Artikel\r\n1001;"${'y'.repeat(300 * 1024)}"\r\n`);
    await expect(all(path, 'csv')).rejects.toThrow(FileRefused);
    await expect(all(path, 'csv')).rejects.toThrow(/longer than 262144 characters/);
  });

  it('a CSV line of empty cells (which the record size does not count) is refused past 1 024 columns', async () => {
    await expect(all(file(`Nr.;Artikel\r\n1001${';'.repeat(100_000)}\r\n`), 'csv')).rejects.toThrow(/more than 1024 columns/);
  });

  it('an xlsx that declares ~1 GB of shared strings or one ~1 GB cell is refused before anything is decompressed', async () => {
    await expect(inspectXlsx(file(sharedStringsBomb(1000, 'real')), limits)).rejects.toThrow(/shared strings expand/);
    await expect(inspectXlsx(file(hugeCellBomb(1000, 'real')), limits)).rejects.toThrow(/expands to more than/);
  });

  it('an xlsx that hides its size (declared 1 KB, expands to ~1 GB) is stopped while streaming, with bounded memory', async () => {
    const before = process.memoryUsage().rss;
    await expect(all(file(sharedStringsBomb(1000, 'tiny')), 'xlsx')).rejects.toThrow(FileRefused);
    await expect(all(file(hugeCellBomb(1000, 'tiny')), 'xlsx')).rejects.toThrow(FileRefused);
    // declared honestly and under the workbook limit, but one cell of 200 MB: stopped at the cell limit
    await expect(all(file(hugeCellBomb(200, 'real')), 'xlsx')).rejects.toThrow(/longer than 262144 characters/);
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 2 ** 20);
  });
});
