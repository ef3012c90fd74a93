import { constants, deflateRawSync } from 'node:zlib';

/**
 * Hostile xlsx files built in memory in well under a second: deflate output flushed with
 * Z_FULL_FLUSH is byte-aligned and independent of what came before, so one compressed block of
 * 1 MiB repeated N times is a valid stream that expands to N MiB (a ~1 GB part from ~1 MB).
 */
export interface BombPart {
  name: string;
  prefix: string;
  /** Repeated `times` times between prefix and suffix. */
  repeat?: { unit: string; times: number };
  suffix?: string;
}

const flushed = (text: string | Buffer) => deflateRawSync(text, { level: 9, finishFlush: constants.Z_FULL_FLUSH });

export function zipOf(parts: BombPart[], opts: { declareSizes: 'real' | 'tiny' }): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const chunks: Buffer[] = [flushed(p.prefix)];
    let size = Buffer.byteLength(p.prefix);
    if (p.repeat) {
      const block = Buffer.from(p.repeat.unit.repeat(Math.ceil(2 ** 20 / p.repeat.unit.length)));
      const compressed = flushed(block);
      for (let i = 0; i < p.repeat.times; i += 1) chunks.push(compressed);
      size += block.length * p.repeat.times;
    }
    chunks.push(deflateRawSync(p.suffix ?? '', { level: 9 })); // the final block
    size += Buffer.byteLength(p.suffix ?? '');
    const data = Buffer.concat(chunks);
    const declared = opts.declareSizes === 'real' ? size : Math.min(size, 1024);
    const name = Buffer.from(p.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0, 14); // crc32: not checked by readers that stream (and a bomb would lie about it anyway)
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const sheetHead =
  '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const header =
  '<row r="1"><c r="A1" t="inlineStr"><is><t>Bestellnummer</t></is></c><c r="B1" t="inlineStr"><is><t>Artikel</t></is></c><c r="C1" t="inlineStr"><is><t>Anzahl</t></is></c><c r="D1" t="inlineStr"><is><t>Bestelldatum</t></is></c></row>';

/** ~`mib` MiB of shared strings (one string per table entry) and a sheet that uses the first. */
export function sharedStringsBomb(mib: number, declareSizes: 'real' | 'tiny'): Buffer {
  return zipOf(
    [
      {
        name: 'xl/sharedStrings.xml',
        prefix: '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
        repeat: { unit: '<si><t>Jimdo order</t></si>', times: mib },
        suffix: '</sst>',
      },
      {
        name: 'xl/worksheets/sheet1.xml',
        prefix: `${sheetHead}${header}<row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData></worksheet>`,
      },
    ],
    { declareSizes },
  );
}

/** One inline-string cell of ~`mib` MiB in row 2. */
export function hugeCellBomb(mib: number, declareSizes: 'real' | 'tiny'): Buffer {
  return zipOf(
    [
      {
        name: 'xl/worksheets/sheet1.xml',
        prefix: `${sheetHead}${header}<row r="2"><c r="A2" t="inlineStr"><is><t>`,
        repeat: { unit: 'A', times: mib },
        suffix: '</t></is></c></row></sheetData></worksheet>',
      },
    ],
    { declareSizes },
  );
}
