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

  it('an order mail without positions is unparsable with a reason', async () => {
    const raw = Buffer.from(
      'From: shop@jimdo.com\r\nTo: x@y\r\nSubject: Neue Bestellung Nr. 4711 in deinem Shop\r\nMessage-ID: <a@b>\r\n\r\nBestellnummer: 4711\r\nBestelldatum: 20.11.2026, 10:15 Uhr\r\n\r\nDer Inhalt fehlt.\r\n',
    );
    const { result } = await parse(raw);
    expect(result).toMatchObject({ kind: 'unparsable', orderNumber: '4711', reason: 'no order positions found' });
  });
});
