import { berlinParts, type MailLocale } from './jimdo-order';
import {
  CRLF,
  encodeHeaderValue,
  fitToCharset,
  formatAddress,
  multipart,
  rfc5322Date,
  serializeMessage,
  textPart,
  type MailCharset,
  type MimePart,
  type TransferEncoding,
} from './mime';

/** How a merchant's mail client forwards a shop mail by hand. */
export type ForwardStyle = 'outlook' | 'gmail' | 'thunderbird' | 'apple-mail' | 'attachment';

export interface ForwardInput {
  style: ForwardStyle;
  locale: MailLocale;
  original: Buffer;
  originalSubject: string;
  originalFrom: string;
  originalTo: string;
  originalDate: Date;
  originalText: string;
  originalHtml?: string | undefined;
  from: string;
  to: string;
  charset: MailCharset;
  encoding: TransferEncoding;
  id: string;
}

const p2 = (n: number) => String(n).padStart(2, '0');
const DAYS = {
  de: ['Sonntag', 'Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};
const MONTHS = {
  de: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

function ampm(hour: number, minute: number, second?: number): string {
  const h = hour % 12 === 0 ? 12 : hour % 12;
  return `${h}:${p2(minute)}${second !== undefined ? `:${p2(second)}` : ''} ${hour < 12 ? 'AM' : 'PM'}`;
}

/** The header block each client writes above the forwarded text, in its UI language. */
function headerBlock(input: ForwardInput): string[] {
  const b = berlinParts(input.originalDate);
  const de = input.locale === 'de';
  const month = MONTHS[input.locale][b.month - 1]!;
  const day = DAYS[input.locale][b.weekday]!;
  const subject = input.originalSubject;
  switch (input.style) {
    case 'outlook':
      return [
        '________________________________',
        `${de ? 'Von' : 'From'}: ${input.originalFrom}`,
        de
          ? `Gesendet: ${day}, ${b.day}. ${month} ${b.year} ${p2(b.hour)}:${p2(b.minute)}`
          : `Sent: ${day}, ${month} ${b.day}, ${b.year} ${ampm(b.hour, b.minute)}`,
        `${de ? 'An' : 'To'}: ${input.originalTo}`,
        `${de ? 'Betreff' : 'Subject'}: ${subject}`,
      ];
    case 'gmail':
      return [
        de ? '---------- Weitergeleitete Nachricht ---------' : '---------- Forwarded message ---------',
        `${de ? 'Von' : 'From'}: ${input.originalFrom}`,
        de
          ? `Date: ${day.slice(0, 2)}., ${b.day}. ${month.slice(0, 3)}. ${b.year} um ${p2(b.hour)}:${p2(b.minute)} Uhr`
          : `Date: ${day.slice(0, 3)}, ${month.slice(0, 3)} ${b.day}, ${b.year} at ${ampm(b.hour, b.minute)}`,
        `Subject: ${subject}`,
        `To: <${input.originalTo}>`,
      ];
    case 'thunderbird':
      return [
        de ? '-------- Weitergeleitete Nachricht --------' : '-------- Forwarded Message --------',
        `${de ? 'Betreff' : 'Subject'}: \t${subject}`,
        `${de ? 'Datum' : 'Date'}: \t${rfc5322Date(input.originalDate)}`,
        `${de ? 'Von' : 'From'}: \t${input.originalFrom}`,
        `${de ? 'An' : 'To'}: \t${input.originalTo}`,
      ];
    case 'apple-mail':
      return [
        de ? 'Anfang der weitergeleiteten Nachricht:' : 'Begin forwarded message:',
        '',
        `${de ? 'Von' : 'From'}: ${input.originalFrom}`,
        `${de ? 'Betreff' : 'Subject'}: ${subject}`,
        de
          ? `Datum: ${b.day}. ${month} ${b.year} um ${p2(b.hour)}:${p2(b.minute)}:${p2(b.second)} ${b.offset === 60 ? 'MEZ' : 'MESZ'}`
          : `Date: ${month} ${b.day}, ${b.year} at ${ampm(b.hour, b.minute, b.second)} GMT+${b.offset / 60}`,
        `${de ? 'An' : 'To'}: ${input.originalTo}`,
      ];
    case 'attachment':
      return [];
  }
}

function subjectPrefix(style: ForwardStyle, locale: MailLocale): string {
  if (style === 'outlook') return locale === 'de' ? 'WG: ' : 'FW: ';
  if (style === 'apple-mail' && locale === 'de') return 'WG: ';
  return 'Fwd: ';
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A new message from the merchant that carries the original inline or as message/rfc822. */
export function forwardMessage(input: ForwardInput): Buffer {
  const de = input.locale === 'de';
  const note = de ? 'Hallo, anbei die Bestellung zur Übernahme.' : 'Hi, forwarding this order for import.';
  let entity: MimePart;
  if (input.style === 'attachment') {
    const attached: MimePart = {
      headers: [
        ['Content-Type', 'message/rfc822; name="Bestellung.eml"'],
        ['Content-Disposition', 'attachment; filename="Bestellung.eml"'],
        ['Content-Transfer-Encoding', '7bit'],
      ],
      // The original is 7-bit clean, so it is carried byte for byte.
      body: input.original.toString('latin1').replace(/\r\n$/, ''),
    };
    entity = multipart(
      'mixed',
      [textPart(fitToCharset(`${note}\n`, input.charset), 'plain', input.charset, input.encoding), attached],
      `----=_Fwd_${input.id}`,
    );
  } else {
    const block = headerBlock(input);
    const text = fitToCharset([note, '', '', ...block, '', input.originalText].join('\n'), input.charset);
    const parts: MimePart[] = [textPart(text, 'plain', input.charset, input.encoding)];
    // Thunderbird forwards inline as plain text by default; the others keep the HTML.
    if (input.originalHtml && input.style !== 'thunderbird') {
      const inner = input.originalHtml.replace(/^[\s\S]*?<body[^>]*>/i, '').replace(/<\/body>[\s\S]*$/i, '');
      const quoteOpen =
        input.style === 'apple-mail'
          ? '<blockquote type="cite">'
          : input.style === 'gmail'
            ? '<div class="gmail_quote">'
            : '<div id="divRplyFwdMsg">';
      const quoteClose = input.style === 'apple-mail' ? '</blockquote>' : '</div>';
      const html = fitToCharset(
        `<html><head><meta http-equiv="Content-Type" content="text/html; charset=${input.charset}"></head><body><div>${escapeHtml(note)}</div><br>${quoteOpen}${block
          .map((l) => escapeHtml(l))
          .join('<br>\n')}<br><br>\n${inner}${quoteClose}</body></html>\n`,
        input.charset,
      );
      parts.push(textPart(html, 'html', input.charset, input.encoding));
      entity = multipart('alternative', parts, `----=_Fwd_${input.id}`);
    } else {
      entity = parts[0]!;
    }
  }
  const date = new Date(input.originalDate.getTime() + 2 * 3_600_000);
  const headers: [string, string][] = [
    ['Date', rfc5322Date(date)],
    ['From', formatAddress(de ? 'Shop-Inhaber' : 'Shop owner', input.from, input.charset)],
    ['To', `<${input.to}>`],
    [
      'Subject',
      encodeHeaderValue(fitToCharset(subjectPrefix(input.style, input.locale) + input.originalSubject, input.charset), input.charset, 'Q'),
    ],
    ['Message-ID', `<fwd-${input.id}-${input.style}@mail.mein-shop.example>`],
    ...(input.style === 'outlook' ? ([['X-Mailer', 'Microsoft Outlook 16.0']] as [string, string][]) : []),
    ...(input.style === 'thunderbird' ? ([['User-Agent', 'Mozilla Thunderbird']] as [string, string][]) : []),
    ...(input.style === 'apple-mail' ? ([['X-Mailer', 'Apple Mail (2.3774.600.62)']] as [string, string][]) : []),
  ];
  return serializeMessage(headers, entity);
}

export { CRLF };
