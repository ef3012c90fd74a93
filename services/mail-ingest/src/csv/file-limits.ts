import { Transform } from 'node:stream';
import type { MailIngestConfig } from '../config';

/** Why a file is not read at all: shown to the merchant as the job's error (or the upload's 422). */
export class FileRefused extends Error {}

/** Jimdo's export has 34 columns; a record with more is not an order export. */
export const MAX_COLUMNS = 1024;

/** What one upload may cost, whatever it holds (see MailIngestConfig IMPORT_*). */
export interface FileLimits {
  /** Longer cells are cut to this many characters, with a warning on their row. */
  maxCellChars: number;
  /** One CSV record (all its cells) or one XML text or tag of an xlsx part, in characters. */
  maxRecordChars: number;
  /** All parts of an xlsx read, decompressed. */
  maxExpandedBytes: number;
  /** The xlsx shared-strings part, decompressed (it is held in memory while the sheet is read). */
  maxSharedStringsBytes: number;
}

export function fileLimits(config: MailIngestConfig): FileLimits {
  return {
    maxCellChars: config.IMPORT_MAX_CELL_CHARS,
    maxRecordChars: config.IMPORT_MAX_RECORD_CHARS,
    maxExpandedBytes: config.IMPORT_XLSX_MAX_EXPANDED_BYTES,
    maxSharedStringsBytes: config.IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES,
  };
}

const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;

/**
 * Counts the decompressed bytes of a zip part as they stream and stops the stream past its limit
 * (or past the file's shared budget), so a decompression bomb costs at most one chunk of memory.
 */
export function expansionGuard(part: string, partLimit: number, budget: { left: number; total: number }): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      budget.left -= chunk.length;
      if (bytes > partLimit) cb(new FileRefused(`the workbook part ${part} expands to more than ${mb(partLimit)}; export as CSV`));
      else if (budget.left < 0)
        cb(new FileRefused(`the workbook expands to more than ${mb(budget.total)}; export the orders as CSV or in smaller files`));
      else cb(null, chunk);
    },
  });
}

const LT = 0x3c;
const GT = 0x3e;

/**
 * Refuses XML whose text between two tags, or one tag, is longer than `maxRun` bytes: the XML
 * parser keeps such a run in memory until it ends, so one 1 GB cell would otherwise be buffered whole.
 */
export function xmlRunGuard(part: string, maxRun: number): Transform {
  let inTag = false;
  let run = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      let pos = 0;
      while (pos < chunk.length) {
        const next = chunk.indexOf(inTag ? GT : LT, pos);
        const end = next < 0 ? chunk.length : next;
        run += end - pos;
        if (run > maxRun) {
          cb(new FileRefused(`a cell or tag in ${part} is longer than ${maxRun} characters; no order field is that long`));
          return;
        }
        if (next < 0) break;
        inTag = !inTag;
        run = 0;
        pos = next + 1;
      }
      cb(null, chunk);
    },
  });
}
