import iconv from 'iconv-lite';
import { buildJimdoAddressConfirmationMail, buildJimdoCsvExport, generateJimdoOrder, JIMDO_CSV_HEADERS, sendMail } from '../src';
import { bodyText, decodeHeader, leaves, parseEntity } from './mime-reader';
import { startSmtpSink } from '../src/smtp-sink';

/** Splits one CSV line respecting quotes (enough for the generated exports). */
function cells(line: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function records(text: string): string[] {
  // Quoted cells may hold line breaks (customer notes); join until quotes balance.
  const lines: string[] = [];
  let acc = '';
  for (const part of text.split('\r\n')) {
    acc = acc ? `${acc}\r\n${part}` : part;
    if ((acc.match(/"/g) ?? []).length % 2 === 0) {
      lines.push(acc);
      acc = '';
    }
  }
  return lines.filter((l) => l !== '');
}

describe('mail-sender: Jimdo CSV export and non-order mail', () => {
  const orders = [1, 2, 3, 4].map((seed) => generateJimdoOrder({ seed }));

  it('JIM-5: one row per line item with the 34 localised columns; quantity = net / net unit price', () => {
    const csv = buildJimdoCsvExport(orders, { locale: 'de', separator: ';', encoding: 'windows-1252' });
    const text = iconv.decode(csv, 'windows-1252');
    const rows = records(text).map((l) => cells(l, ';'));
    expect(rows[0]).toEqual([...JIMDO_CSV_HEADERS.de]);
    const items = orders.flatMap((o) => o.positions.map((p) => ({ o, p })));
    expect(rows).toHaveLength(1 + items.length);
    items.forEach(({ o, p }, i) => {
      const row = rows[i + 1]!;
      expect(row).toHaveLength(34);
      expect(row[0]).toBe(o.orderNumber);
      expect(row[1]).toBe(p.sku ?? '');
      expect(row[4]).toBe(p.name.replace(/[„“]/g, (c) => c)); // cp1252 carries „ and “
      const unitNet = Number(row[6]!.replace(',', '.'));
      const net = Number(row[7]!.replace(',', '.'));
      expect(Math.round(net / unitNet)).toBe(p.quantity);
      expect(row[8]).toBe(p.totalPrice.toFixed(2).replace('.', ','));
      expect(row[28]).toBe(o.shippingAddress.city);
    });
  });

  it('JIM-5: English export with comma separator and UTF-8 BOM, optional title row', () => {
    const csv = buildJimdoCsvExport(orders.slice(0, 1), { locale: 'en', separator: ',', encoding: 'utf-8-bom', titleRow: true });
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = records(csv.subarray(3).toString('utf8')).map((l) => cells(l, ','));
    expect(rows[0]).toEqual(['Orders']);
    expect(rows[1]).toEqual([...JIMDO_CSV_HEADERS.en]);
    expect(rows[2]![8]).toBe(orders[0]!.positions[0]!.totalPrice.toFixed(2));
  });

  it('JIM-4: the address-confirmation mail is a non-order mail that reaches the inbound unaltered', async () => {
    const sink = await startSmtpSink();
    try {
      const mail = buildJimdoAddressConfirmationMail({ locale: 'de' });
      await sendMail(mail.raw, { host: '127.0.0.1', port: sink.port, from: 'no-reply@jimdo.com', to: 'x@inbound.example' });
      expect(sink.received[0]?.data.equals(mail.raw)).toBe(true);
      const entity = parseEntity(mail.raw.toString('latin1'));
      expect(decodeHeader(entity.headers.get('subject') ?? '')).toBe('Bitte bestätige deine E-Mail-Adresse');
      expect(bodyText(leaves(entity)[0]!)).toContain(mail.confirmUrl);
    } finally {
      await sink.close();
    }
  });
});
