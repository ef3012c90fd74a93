import { buildJimdoOrderMail, JIMDO_MAIL_VARIANTS, money, sendMail, type JimdoMail } from '../src';
import { bodyBytes, bodyText, decodeHeader, leaves, parseEntity, splitHead, parseHeaders, type Entity } from './mime-reader';
import { startSmtpSink } from '../src/smtp-sink';

const INBOUND = '12345-jimdo-orderimport@inbound.orderhub.example';

function assertSevenBitAndShortLines(raw: Buffer): void {
  expect(raw.every((b) => b < 0x80)).toBe(true);
  const text = raw.toString('latin1');
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/); // CRLF only
  for (const line of text.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
}

/** The text a reader sees: every text leaf (recursing into an attached message/rfc822). */
function readableText(e: Entity): string {
  return leaves(e)
    .map((leaf) => (leaf.contentType === 'message/rfc822' ? readableText(parseEntity(bodyBytes(leaf).toString('latin1'))) : bodyText(leaf)))
    .join('\n')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&times;/g, '×');
}

describe('mail-sender: Jimdo order mails', () => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => sink.close());

  const mails: JimdoMail[] = JIMDO_MAIL_VARIANTS.map((v) => buildJimdoOrderMail(v));

  it.each(mails.map((m) => [m.variant, m] as const))('JIM-1: %s is valid MIME and arrives byte for byte over SMTP', async (_name, mail) => {
    assertSevenBitAndShortLines(mail.raw);
    const before = sink.received.length;
    const info = await sendMail(mail.raw, { host: '127.0.0.1', port: sink.port, from: 'inhaber@mein-shop.example', to: INBOUND });
    expect(info.accepted).toEqual([INBOUND]);
    const got = sink.received[before];
    expect(got?.to).toEqual([INBOUND]);
    expect(got?.data.equals(mail.raw)).toBe(true);

    const entity = parseEntity(mail.raw.toString('latin1'));
    for (const h of ['date', 'from', 'to', 'subject', 'message-id', 'mime-version']) expect(entity.headers.has(h)).toBe(true);
    expect(entity.headers.get('date')).toMatch(/^\w{3}, \d{1,2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0[12]00$/);
    const subject = decodeHeader(entity.headers.get('subject') ?? '');
    expect(subject).toContain(mail.order.orderNumber);

    for (const leaf of leaves(entity).filter((l) => l.contentType.startsWith('text/'))) {
      expect(leaf.params.charset).toMatch(/^(UTF-8|ISO-8859-1|WINDOWS-1252|utf-8|iso-8859-1|windows-1252)$/);
      expect(['quoted-printable', 'base64']).toContain(leaf.headers.get('content-transfer-encoding'));
    }

    const text = readableText(entity);
    const { order } = mail;
    expect(text).toContain(order.orderNumber);
    expect(text).toContain(order.buyerEmail);
    expect(text).toContain(order.billingAddress.lastName);
    expect(text).toContain(order.shippingAddress.city);
    expect(text).toContain(order.paymentMethod.replace(/€/g, 'EUR').slice(0, 6));
    for (const p of order.positions) {
      if (p.sku) expect(text).toContain(p.sku);
      expect(text).toContain(String(p.quantity));
    }
    // The euro sign survives wherever the charset can carry it; ISO-8859-1 proper writes "EUR".
    const labels = leaves(entity).map((l) => (l.params.charset ?? '').toLowerCase());
    const strictLatin1 = labels.includes('iso-8859-1') && !mail.variant.includes('latin1-as-cp1252');
    const total = money(order.total, order.locale, strictLatin1 ? 'EUR' : '€');
    expect(text).toContain(total);
  });

  it('JIM-1: covers both shop generations, both languages, all forms, charsets, encodings and forward styles', () => {
    const variants = mails.map((m) => m.variant).join(' ');
    for (const token of [
      'classic',
      'dolphin',
      '-de-',
      '-en-',
      'text',
      'html',
      'multipart',
      'utf-8',
      'iso-8859-1',
      'windows-1252',
      'latin1-as-cp1252',
      'qp',
      'b64',
    ]) {
      expect(variants).toContain(token);
    }
    for (const style of ['outlook', 'gmail', 'thunderbird', 'apple-mail', 'attachment']) expect(variants).toContain(`fwd-${style}`);
    expect(new Set(mails.map((m) => m.variant)).size).toBe(mails.length);
  });

  it('JIM-3: every other order has a position without SKU, shown without an article number', () => {
    const withoutSku = mails.filter((m) => m.order.positions.some((p) => !p.sku));
    expect(withoutSku.length).toBeGreaterThan(3);
  });

  it('ISO-8859-1 label over Windows-1252 bytes: € is byte 0x80, a strict latin-1 reader gets U+0080', () => {
    const mail = buildJimdoOrderMail({
      seed: 4,
      form: 'text',
      charset: 'iso-8859-1',
      mislabelledLatin1: true,
      transferEncoding: 'quoted-printable',
    });
    const leaf = leaves(parseEntity(mail.raw.toString('latin1')))[0]!;
    expect(leaf.params.charset).toBe('ISO-8859-1');
    expect(bodyBytes(leaf).includes(0x80)).toBe(true);
    expect(bodyText(leaf, true)).toContain('€');
    expect(bodyText(leaf, false)).toContain('\u0080');
  });

  it('JIM-2: a forward goes from the merchant to the inbound address and keeps the original', () => {
    const inline = buildJimdoOrderMail({ seed: 9, form: 'multipart', forward: 'outlook', forwardTo: INBOUND });
    const head = parseHeaders(splitHead(inline.raw.toString('latin1')).head);
    expect(head.get('to')).toBe(`<${INBOUND}>`);
    expect(decodeHeader(head.get('subject') ?? '')).toBe(`WG: ${inline.subject}`);
    const text = bodyText(leaves(parseEntity(inline.raw.toString('latin1')))[0]!);
    expect(text).toMatch(/_{32}\r\nVon: Jimdo Shop <shop-noreply@jimdo\.com>\r\nGesendet: \w+, \d+\. \w+ 2026 \d{2}:\d{2}\r\nAn: /);

    const gmail = buildJimdoOrderMail({ seed: 10, locale: 'en', forward: 'gmail', forwardLocale: 'en' });
    expect(readableText(parseEntity(gmail.raw.toString('latin1')))).toContain('---------- Forwarded message ---------');
    const tb = buildJimdoOrderMail({ seed: 12, forward: 'thunderbird' });
    expect(readableText(parseEntity(tb.raw.toString('latin1')))).toContain('-------- Weitergeleitete Nachricht --------');
    const apple = buildJimdoOrderMail({ seed: 14, forward: 'apple-mail' });
    expect(readableText(parseEntity(apple.raw.toString('latin1')))).toContain('Anfang der weitergeleiteten Nachricht:');

    const attached = buildJimdoOrderMail({ seed: 16, charset: 'iso-8859-1', forward: 'attachment' });
    const original = buildJimdoOrderMail({ seed: 16, charset: 'iso-8859-1' });
    const rfc822 = leaves(parseEntity(attached.raw.toString('latin1'))).find((l) => l.contentType === 'message/rfc822');
    expect(rfc822).toBeDefined();
    expect(Buffer.concat([bodyBytes(rfc822!), Buffer.from('\r\n')]).equals(original.raw)).toBe(true);
  });

  it('builds the same bytes for the same options (fixtures are reproducible)', () => {
    const a = buildJimdoOrderMail({ seed: 42, shopKind: 'dolphin', forward: 'gmail' });
    const b = buildJimdoOrderMail({ seed: 42, shopKind: 'dolphin', forward: 'gmail' });
    expect(a.raw.equals(b.raw)).toBe(true);
    expect(a.order.total).toBeCloseTo(a.order.subtotal + a.order.shippingCost, 2);
  });
});
