import { createHash } from 'node:crypto';
import { generateJimdoOrder, type JimdoOrder, type JimdoShopKind, type MailLocale } from './jimdo-order';
import { renderHtml, renderText, subjectOf } from './jimdo-templates';
import {
  CRLF,
  encodeHeaderValue,
  fitToCharset,
  formatAddress,
  mislabelledTextPart,
  multipart,
  rfc5322Date,
  serializeMessage,
  textPart,
  type MailCharset,
  type MimePart,
  type TransferEncoding,
} from './mime';
import { forwardMessage, type ForwardStyle } from './forwarding';

export type MailForm = 'text' | 'html' | 'multipart';

export interface JimdoOrderMailOptions {
  /** The order to render; generated from `seed`, `shopKind` and `locale` when missing. */
  order?: JimdoOrder;
  seed?: number;
  shopKind?: JimdoShopKind;
  locale?: MailLocale;
  form?: MailForm;
  charset?: MailCharset;
  /** Windows-1252 bytes (€ = 0x80) under an `ISO-8859-1` label, as many German mailers send. */
  mislabelledLatin1?: boolean;
  transferEncoding?: TransferEncoding;
  /** Plain text as format=flowed with lines soft-wrapped at 72 (Thunderbird, Apple Mail). */
  flowed?: boolean;
  /** Plain text hard-wrapped at this width without format=flowed (Outlook 76, Gmail 78, Thunderbird 72 with flowed off). */
  wrap?: number;
  /** The generated order has lines longer than a client's wrap width (article name, company, address addition). */
  longLines?: boolean;
  /** Hand-forwarded by the merchant; `attachment` = as message/rfc822. */
  forward?: ForwardStyle | 'none';
  /** Language of the forwarding client's UI (defaults to the order's). */
  forwardLocale?: MailLocale;
  /** The merchant's own mailbox that Jimdo writes to. */
  merchantAddress?: string;
  /** Where a forward goes, e.g. `<shopId>-jimdo-orderimport@inbound.example` (JIM-2). */
  forwardTo?: string;
}

export interface JimdoMail {
  raw: Buffer;
  /** What a parser must extract. */
  order: JimdoOrder;
  subject: string;
  /** The variant, for test names and fixture file names. */
  variant: string;
}

export const JIMDO_SENDERS: Record<JimdoShopKind, { name: string; address: string }> = {
  // Jimdo's real sender addresses are not documented (reference §2.3); these are stand-ins.
  classic: { name: 'Jimdo Shop', address: 'shop-noreply@jimdo.com' },
  dolphin: { name: 'Jimdo', address: 'no-reply@store.jimdo.com' },
};

export function stableId(...parts: unknown[]): string {
  return createHash('sha1').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

/** A Jimdo seller notification for one order, as raw RFC 822 bytes plus the order it contains. */
export function buildJimdoOrderMail(options: JimdoOrderMailOptions = {}): JimdoMail {
  const form = options.form ?? 'multipart';
  const charset = options.charset ?? 'utf-8';
  // A strict ISO-8859-1 mail cannot carry €, „ or “; the expected order says what the mail says.
  const order = fitOrderToCharset(
    options.order ??
      generateJimdoOrder({
        seed: options.seed ?? 1,
        shopKind: options.shopKind ?? 'classic',
        locale: options.locale ?? 'de',
        ...(options.longLines ? { longLines: true } : {}),
      }),
    options.mislabelledLatin1 ? 'windows-1252' : charset,
  );
  const encoding = options.transferEncoding ?? 'quoted-printable';
  const merchant = options.merchantAddress ?? 'inhaber@mein-shop.example';
  const id = stableId(
    order.orderNumber,
    order.shopKind,
    form,
    charset,
    encoding,
    options.mislabelledLatin1,
    ...(options.flowed ? ['flowed'] : []),
    ...(options.wrap ? [`wrap${options.wrap}`] : []),
  );

  // What the bytes are really in: a mislabelled mail is Windows-1252 under an ISO-8859-1 label.
  const actual: MailCharset = options.mislabelledLatin1 ? 'windows-1252' : charset;
  const euro = actual === 'iso-8859-1' ? 'EUR' : '€';
  const text = fitToCharset(renderText(order, euro), actual);
  const html = fitToCharset(renderHtml(order, euro), actual).replace('charset=utf-8', `charset=${charset}`);
  const part = (body: string, subtype: 'plain' | 'html'): MimePart =>
    options.mislabelledLatin1
      ? mislabelledTextPart(body, subtype, 'iso-8859-1', 'windows-1252', encoding)
      : textPart(body, subtype, charset, encoding, { flowed: options.flowed, hardWrap: options.wrap });
  const entity =
    form === 'text'
      ? part(text, 'plain')
      : form === 'html'
        ? part(html, 'html')
        : multipart('alternative', [part(text, 'plain'), part(html, 'html')], `----=_Jimdo_${id}`);

  const subject = subjectOf(order);
  const headerCharset: MailCharset = options.mislabelledLatin1 ? 'iso-8859-1' : charset;
  const sender = JIMDO_SENDERS[order.shopKind];
  const date = new Date(order.orderDate);
  const headers: [string, string][] = [
    ['Return-Path', `<bounces+${id}@jimdo.com>`],
    ['Date', rfc5322Date(date)],
    ['From', formatAddress(sender.name, sender.address, headerCharset)],
    ['Reply-To', formatAddress(`${order.billingAddress.firstName} ${order.billingAddress.lastName}`, order.buyerEmail, headerCharset)],
    ['To', `<${merchant}>`],
    ['Subject', encodeHeaderValue(fitToCharset(subject, headerCharset), headerCharset)],
    ['Message-ID', `<${id}.${order.orderNumber}@${order.shopKind === 'classic' ? 'jimdo.com' : 'store.jimdo.com'}>`],
    ['X-Mailer', order.shopKind === 'classic' ? 'Jimdo Shop Mailer' : 'Jimdo Store Notifications'],
    ['Auto-Submitted', 'auto-generated'],
  ];
  const original = serializeMessage(headers, entity);
  const variant = [
    order.shopKind,
    order.locale,
    form,
    options.mislabelledLatin1 ? 'latin1-as-cp1252' : charset,
    encoding === 'base64' ? 'b64' : 'qp',
    ...(options.flowed ? ['flowed'] : []),
    ...(options.wrap ? [`wrap${options.wrap}`] : []),
  ].join('-');
  const forward = options.forward ?? 'none';
  if (forward === 'none') return { raw: original, order, subject, variant };

  const raw = forwardMessage({
    style: forward,
    locale: options.forwardLocale ?? order.locale,
    original,
    originalSubject: subject,
    originalFrom: `${sender.name} <${sender.address}>`,
    originalTo: merchant,
    originalDate: date,
    originalText: text,
    originalHtml: form === 'text' ? undefined : html,
    from: merchant,
    to: options.forwardTo ?? '12345-jimdo-orderimport@inbound.orderhub.example',
    charset: options.mislabelledLatin1 ? 'windows-1252' : charset,
    encoding,
    id,
  });
  return { raw, order, subject, variant: `${variant}-fwd-${forward}` };
}

function fitOrderToCharset(order: JimdoOrder, charset: MailCharset): JimdoOrder {
  const fit = (value: unknown): unknown =>
    typeof value === 'string'
      ? fitToCharset(value, charset)
      : Array.isArray(value)
        ? value.map(fit)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fit(v)]))
          : value;
  return fit(order) as JimdoOrder;
}

export interface AddressConfirmationOptions {
  locale?: MailLocale;
  merchantAddress?: string;
  charset?: MailCharset;
  seed?: number;
}

/**
 * Jimdo asks to confirm a newly entered shop e-mail address; once that address is the inbound one,
 * this non-order mail must still reach the merchant (JIM-4, "Nicht-Bestell E-Mails weiterleiten").
 */
export function buildJimdoAddressConfirmationMail(options: AddressConfirmationOptions = {}): {
  raw: Buffer;
  subject: string;
  confirmUrl: string;
} {
  const locale = options.locale ?? 'de';
  const charset = options.charset ?? 'utf-8';
  const to = options.merchantAddress ?? '12345-jimdo-orderimport@inbound.orderhub.example';
  const id = stableId('confirm', to, options.seed ?? 1);
  const confirmUrl = `https://account.jimdo.com/confirm-email/?token=${id}${id}`;
  const subject = locale === 'de' ? 'Bitte bestätige deine E-Mail-Adresse' : 'Please confirm your email address';
  const text =
    locale === 'de'
      ? `Hallo,\n\nbitte bestätige, dass ${to} die E-Mail-Adresse für Bestellbenachrichtigungen deines Shops sein soll:\n\n${confirmUrl}\n\nWenn du diese Änderung nicht veranlasst hast, kannst du diese E-Mail ignorieren.\n\nViele Grüße\ndein Jimdo-Team\n`
      : `Hello,\n\nplease confirm that ${to} should receive the order notifications of your store:\n\n${confirmUrl}\n\nIf you did not request this change, you can ignore this email.\n\nBest regards,\nYour Jimdo team\n`;
  const html = `<!DOCTYPE html><html><body><p>${text
    .split('\n\n')
    .map((p) => p.replace(confirmUrl, `<a href="${confirmUrl}">${confirmUrl}</a>`).replace(/\n/g, '<br>'))
    .join('</p><p>')}</p></body></html>\n`;
  const entity = multipart(
    'alternative',
    [textPart(text, 'plain', charset, 'quoted-printable'), textPart(html, 'html', charset, 'quoted-printable')],
    `----=_Jimdo_${id}`,
  );
  const raw = serializeMessage(
    [
      ['Date', rfc5322Date(new Date(Date.UTC(2026, 10, 20, 8, 0, 0)))],
      ['From', formatAddress('Jimdo', 'no-reply@jimdo.com', charset)],
      ['To', `<${to}>`],
      ['Subject', encodeHeaderValue(subject, charset)],
      ['Message-ID', `<${id}.confirm@jimdo.com>`],
      ['Auto-Submitted', 'auto-generated'],
    ],
    entity,
  );
  return { raw, subject, confirmUrl };
}

export { CRLF };
