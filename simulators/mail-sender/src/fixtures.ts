import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateJimdoOrder } from './jimdo-order';
import { buildJimdoAddressConfirmationMail } from './jimdo-mail';
import { buildJimdoCsvExport } from './jimdo-csv';
import { buildAllJimdoMailVariants } from './variants';

/**
 * Writes `<variant>.eml` plus `<variant>.expected.json` (the order a parser must extract), the
 * address-confirmation mail and two CSV exports. Output is deterministic, so a diff means a change.
 */
export function writeJimdoFixtures(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, data: Buffer | string) => {
    writeFileSync(join(dir, name), data);
    written.push(name);
  };
  for (const mail of buildAllJimdoMailVariants()) {
    write(`${mail.variant}.eml`, mail.raw);
    write(`${mail.variant}.expected.json`, `${JSON.stringify(mail.order, null, 2)}\n`);
  }
  write('address-confirmation-de.eml', buildJimdoAddressConfirmationMail({ locale: 'de' }).raw);
  const orders = [1, 2, 3].map((seed) => generateJimdoOrder({ seed, locale: 'de' }));
  write('export-de-semicolon-cp1252.csv', buildJimdoCsvExport(orders, { locale: 'de', separator: ';', encoding: 'windows-1252' }));
  write('export-de-semicolon-cp1252.expected.json', `${JSON.stringify(orders, null, 2)}\n`);
  const ordersEn = [4, 5].map((seed) => generateJimdoOrder({ seed, locale: 'en', shopKind: 'dolphin' }));
  write('export-en-comma-utf8bom.csv', buildJimdoCsvExport(ordersEn, { locale: 'en', separator: ',', encoding: 'utf-8-bom' }));
  write('export-en-comma-utf8bom.expected.json', `${JSON.stringify(ordersEn, null, 2)}\n`);
  return written;
}
