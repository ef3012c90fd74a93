import {
  buildAllJimdoMailVariants,
  buildJimdoAddressConfirmationMail,
  buildJimdoOrderMail,
  type JimdoMail,
} from '../../../simulators/mail-sender/src';
import { JimdoMailParser } from '../src/jimdo/jimdo-mail-parser';
import { toChannelOrder } from '../src/jimdo/order-draft';
import { extractMailText } from '../src/processing/mail-text';

const parser = new JimdoMailParser();

async function parse(raw: Buffer) {
  const text = await extractMailText(raw);
  return { text, result: parser.parse(text.subject, text.text) };
}

function expectMatches(mail: JimdoMail, result: Awaited<ReturnType<typeof parse>>['result']) {
  if (result.kind !== 'order') throw new Error(`${mail.variant}: ${result.kind} ${result.reason}`);
  const order = toChannelOrder(result.draft);
  const expected = mail.order;
  expect(order.externalId).toBe(expected.orderNumber);
  expect(new Date(order.orderedAt).getTime()).toBe(new Date(expected.orderDate).getTime());
  expect(order.currency).toBe('EUR');
  expect(order.positions.map((p) => ({ sku: p.sku, quantity: p.quantity, unitPrice: p.unitPrice, totalPrice: p.totalPrice }))).toEqual(
    expected.positions.map((p) => ({ sku: p.sku, quantity: p.quantity, unitPrice: p.unitPrice, totalPrice: p.totalPrice })),
  );
  for (const [i, p] of expected.positions.entries()) expect(order.positions[i]!.title).toContain(p.name);
  expect(order.shippingCost).toBe(expected.shippingCost);
  expect(order.paymentMethod).toBe(expected.paymentMethod);
  expect(order.buyer?.email).toBe(expected.buyerEmail);
  expect(order.invoiceAddress).toMatchObject({
    zip: expected.billingAddress.zip,
    city: expected.billingAddress.city,
    lastName: expected.billingAddress.lastName,
    countryIso2: 'DE',
  });
  expect(order.shippingAddress).toMatchObject({
    zip: expected.shippingAddress.zip,
    city: expected.shippingAddress.city,
    firstName: expected.shippingAddress.firstName,
  });
  if (expected.billingAddress.company) expect(order.invoiceAddress?.company).toBe(expected.billingAddress.company);
  if (expected.shippingAddress.addressAddition) expect(order.shippingAddress?.line2).toBe(expected.shippingAddress.addressAddition);
  if (expected.comment) expect(order.comments[0]?.replace(/\s+/g, ' ')).toBe(expected.comment.replace(/\s+/g, ' '));
}

describe('Jimdo order mail parser (profile-driven)', () => {
  for (const mail of buildAllJimdoMailVariants()) {
    it(`JIM-1: reads the order from the ${mail.variant} mail`, async () => {
      const { result } = await parse(mail.raw);
      expectMatches(mail, result);
    });
  }

  it('JIM-3: keeps positions without SKU, without a sku field', async () => {
    const mail = buildJimdoOrderMail({ seed: 2, shopKind: 'classic', locale: 'de', form: 'text' });
    expect(mail.order.positions.some((p) => !p.sku)).toBe(true);
    const { result } = await parse(mail.raw);
    if (result.kind !== 'order') throw new Error(result.reason);
    const order = toChannelOrder(result.draft);
    const noSku = order.positions.filter((p) => !('sku' in p));
    expect(noSku.length).toBe(mail.order.positions.filter((p) => !p.sku).length);
  });

  it('an address confirmation is not an order', async () => {
    for (const locale of ['de', 'en'] as const) {
      const { result } = await parse(buildJimdoAddressConfirmationMail({ locale }).raw);
      expect(result.kind).toBe('not-an-order');
    }
  });

  it('reads a hard-wrapped plain-text mail (no format=flowed, quoted-printable soft breaks): wrapped lines are one field again', async () => {
    // As Thunderbird sends with flowed text off: broken at 72 with real line breaks; QP adds `=` soft breaks.
    const body = `Hallo,

in deinem Jimdo-Shop =E2=80=9EStrickliesel Shop=E2=80=9C ist eine neue Best=
ellung
eingegangen. Bitte pr=C3=BCfe die Angaben und versende die Ware zeitnah.

Bestellnummer: 20264711
Bestelldatum: 27.11.2026, 14:05 Uhr

Handgestrickter Loop-Schal aus Merino-Alpaka-Mischung, extra lang, mit
Zopfmuster und Fransen
  Variante: Farbe Nachtblau meliert, L=C3=A4nge 180 cm, Breite 35 cm, ohne
Geschenkverpackung
  Artikelnummer: LOOP-MA-180
  Anzahl: 2
  Einzelpreis: 49,90 =E2=82=AC
  Gesamtpreis: 99,80 =E2=82=AC

Zwischensumme: 99,80 =E2=82=AC
Versand (DHL Paket): 4,90 =E2=82=AC
Gesamtsumme: 104,70 =E2=82=AC
enthaltene MwSt. (19 %): 16,72 =E2=82=AC

Zahlungsart: PayPal
Versandart: DHL Paket

Rechnungsadresse:
Sanit=C3=A4r- und Heizungstechnik Lindqvist & T=C3=B6chter Gesellschaft mit
beschr=C3=A4nkter Haftung
K=C3=A4the Lindqvist
Lindenweg 22
01067 Dresden
Deutschland
E-Mail: kaethe.lindqvist@example.org

Lieferadresse:
K=C3=A4the Lindqvist
Am Alten G=C3=BCterbahnhof, Technologie- und Gr=C3=BCnderzentrum Nord-West,
Geb=C3=A4ude 7
01067 Dresden
Deutschland

Anmerkung des Kunden:
Bitte bei der Warenannahme im Erdgeschoss abgeben, dort ist werktags von
8 bis 17 Uhr jemand da.

Viele Gr=C3=BC=C3=9Fe
dein Jimdo-Team`;
    const raw = Buffer.from(
      [
        'From: "Jimdo" <no-reply@store.jimdo.com>',
        'To: <inhaber@mein-shop.example>',
        'Subject: =?UTF-8?Q?Du_hast_eine_neue_Bestellung_erhalten_(#20264711)?=',
        'Date: Fri, 27 Nov 2026 14:05:12 +0100',
        'Message-ID: <wrapped.20264711@store.jimdo.com>',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=UTF-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        body,
        '',
      ].join('\r\n'),
    );
    expect(body).toMatch(/=\n/); // a soft break inside the quoted-printable body
    const { result } = await parse(raw);
    if (result.kind !== 'order') throw new Error(`${result.kind}: ${result.reason}`);
    const order = toChannelOrder(result.draft);
    expect(order.positions).toEqual([
      expect.objectContaining({
        title:
          'Handgestrickter Loop-Schal aus Merino-Alpaka-Mischung, extra lang, mit Zopfmuster und Fransen (Farbe Nachtblau meliert, Länge 180 cm, Breite 35 cm, ohne Geschenkverpackung)',
        sku: 'LOOP-MA-180',
        quantity: 2,
        unitPrice: 49.9,
        totalPrice: 99.8,
      }),
    ]);
    expect(order.invoiceAddress).toMatchObject({
      company: 'Sanitär- und Heizungstechnik Lindqvist & Töchter Gesellschaft mit beschränkter Haftung',
      firstName: 'Käthe',
      lastName: 'Lindqvist',
      zip: '01067',
    });
    expect(order.shippingAddress).toMatchObject({
      firstName: 'Käthe',
      lastName: 'Lindqvist',
      street: 'Am Alten Güterbahnhof, Technologie- und Gründerzentrum Nord-West, Gebäude',
      houseNumber: '7',
      city: 'Dresden',
    });
    expect(order.comments).toEqual(['Bitte bei der Warenannahme im Erdgeschoss abgeben, dort ist werktags von 8 bis 17 Uhr jemand da.']);
  });

  it('an order mail without positions is unparsable with a reason', async () => {
    const raw = Buffer.from(
      'From: shop@jimdo.com\r\nTo: x@y\r\nSubject: Neue Bestellung Nr. 4711 in deinem Shop\r\nMessage-ID: <a@b>\r\n\r\nBestellnummer: 4711\r\nBestelldatum: 20.11.2026, 10:15 Uhr\r\n\r\nDer Inhalt fehlt.\r\n',
    );
    const { result } = await parse(raw);
    expect(result).toMatchObject({ kind: 'unparsable', orderNumber: '4711', reason: 'no order positions found' });
  });
});
