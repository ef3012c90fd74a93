import { randomBytes } from 'node:crypto';
import iconv from 'iconv-lite';
import { berlinParts } from './jimdo-order';

/**
 * A small MIME writer. nodemailer's composer always writes UTF-8, but real forwarded shop mails
 * arrive in ISO-8859-1 and Windows-1252 too, so the bytes are produced here with full control.
 * Everything is 7-bit clean (QP or base64 bodies, RFC 2047 headers) and uses CRLF.
 */
export type MailCharset = 'utf-8' | 'iso-8859-1' | 'windows-1252';
export type TransferEncoding = 'quoted-printable' | 'base64';

export const CRLF = '\r\n';

export interface MimePart {
  headers: [string, string][];
  /** Already encoded body (7-bit, CRLF), or child parts for multipart. */
  body?: string;
  parts?: MimePart[];
  boundary?: string;
}

/** The characters a label allows; an unlabelled Windows-1252 byte in ISO-8859-1 is the classic trap. */
export function canEncode(text: string, charset: MailCharset): boolean {
  if (charset === 'utf-8') return true;
  return iconv.decode(iconv.encode(text, charset), charset) === text;
}

/** Replaces what the charset cannot carry, as a mail client saving in that charset would. */
export function fitToCharset(text: string, charset: MailCharset): string {
  if (canEncode(text, charset)) return text;
  const map: Record<string, string> = {
    '€': 'EUR',
    '„': '"',
    '“': '"',
    '”': '"',
    '‚': "'",
    '‘': "'",
    '’': "'",
    '–': '-',
    '—': '-',
    '…': '...',
  };
  return [...text].map((ch) => (canEncode(ch, charset) ? ch : (map[ch] ?? '?'))).join('');
}

export function encodeText(text: string, charset: MailCharset): Buffer {
  return iconv.encode(text.replace(/\r?\n/g, CRLF), charset);
}

export function quotedPrintable(bytes: Buffer): string {
  const lines: string[] = [];
  const text = bytes.toString('latin1'); // one char per byte
  for (const line of text.split(CRLF)) {
    let out = '';
    let current = '';
    for (let i = 0; i < line.length; i += 1) {
      const code = line.charCodeAt(i);
      const isLast = i === line.length - 1;
      let token: string;
      if ((code === 0x20 || code === 0x09) && isLast) token = `=${code.toString(16).toUpperCase().padStart(2, '0')}`;
      else if (code === 0x20 || code === 0x09 || (code >= 33 && code <= 126 && code !== 61)) token = line[i]!;
      else token = `=${code.toString(16).toUpperCase().padStart(2, '0')}`;
      // A leading dot is fine for SMTP (dot-stuffing) but some gateways mangle it; encode it.
      if (current.length === 0 && token === '.') token = '=2E';
      if (current.length + token.length > 75) {
        out += `${current}=${CRLF}`;
        current = '';
      }
      current += token;
    }
    lines.push(out + current);
  }
  return lines.join(CRLF);
}

export function base64Lines(bytes: Buffer): string {
  return (bytes.toString('base64').match(/.{1,76}/g) ?? []).join(CRLF);
}

export function encodeBody(bytes: Buffer, encoding: TransferEncoding): string {
  return encoding === 'base64' ? base64Lines(bytes) : quotedPrintable(bytes);
}

/** RFC 2047 encoded words for a header value when it is not plain ASCII. */
export function encodeHeaderValue(value: string, charset: MailCharset, mode: 'B' | 'Q' = 'B'): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const label = charset.toUpperCase();
  const words: string[] = [];
  let chunk = '';
  const flush = () => {
    if (!chunk) return;
    const bytes = iconv.encode(chunk, charset);
    const payload =
      mode === 'B'
        ? bytes.toString('base64')
        : [...bytes]
            .map((b) =>
              b === 0x20
                ? '_'
                : (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
                  ? String.fromCharCode(b)
                  : `=${b.toString(16).toUpperCase().padStart(2, '0')}`,
            )
            .join('');
    words.push(`=?${label}?${mode}?${payload}?=`);
    chunk = '';
  };
  for (const ch of [...value]) {
    // Encoded words stay below 75 chars; never split a multi-byte character.
    if (iconv.encode(chunk + ch, charset).length > (mode === 'B' ? 36 : 18)) flush();
    chunk += ch;
  }
  flush();
  return words.join(`${CRLF} `);
}

/** `Display Name <addr>` with the name quoted or encoded as needed. */
export function formatAddress(name: string, address: string, charset: MailCharset): string {
  if (!name) return `<${address}>`;
  if (/^[\x20-\x7e]*$/.test(name)) return `"${name.replace(/(["\\])/g, '\\$1')}" <${address}>`;
  return `${encodeHeaderValue(name, charset)} <${address}>`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 date in German local time, e.g. `Fri, 20 Nov 2026 10:15:00 +0100`. */
export function rfc5322Date(date: Date): string {
  const b = berlinParts(date);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[b.weekday]}, ${b.day} ${MONTHS[b.month - 1]} ${b.year} ${p2(b.hour)}:${p2(b.minute)}:${p2(b.second)} +${p2(b.offset / 60)}00`;
}

export function newBoundary(tag: string, seed?: string): string {
  return `----=_Part_${tag}_${seed ?? randomBytes(8).toString('hex')}`;
}

/** How a client lays out plain text: long lines as they are, format=flowed, or hard-wrapped at a width. */
export interface PlainTextLayout {
  flowed?: boolean;
  /** A real line break at this width, without format=flowed (Outlook 76, Gmail 78, Thunderbird with flowed off 72). */
  hardWrap?: number;
}

export function textPart(
  text: string,
  subtype: 'plain' | 'html',
  charset: MailCharset,
  encoding: TransferEncoding,
  layout: PlainTextLayout = {},
): MimePart {
  const plain = subtype === 'plain';
  const format = layout.flowed && plain ? '; format=flowed' : '';
  const laidOut = format ? flow(text) : plain && layout.hardWrap ? hardWrap(text, layout.hardWrap) : text;
  return {
    headers: [
      ['Content-Type', `text/${subtype}; charset=${charset === 'utf-8' ? 'UTF-8' : charset.toUpperCase()}${format}`],
      ['Content-Transfer-Encoding', encoding],
    ],
    body: encodeBody(encodeText(laidOut, charset), encoding),
  };
}

/**
 * Plain text as clients send it without format=flowed: a line longer than the width is broken at its
 * last space, and the break is a real one (nothing marks it; the space is gone). Quoted-printable then
 * adds its own soft breaks (`=`) where umlauts make an encoded line longer than 76.
 */
export function hardWrap(text: string, width: number): string {
  const out: string[] = [];
  for (const original of text.split(/\r?\n/)) {
    let line = original.replace(/ +$/, '');
    while (line.length > width) {
      const cut = line.lastIndexOf(' ', width);
      if (cut <= 0) break;
      out.push(line.slice(0, cut).replace(/ +$/, ''));
      line = line.slice(cut + 1);
    }
    out.push(line);
  }
  return out.join('\n');
}

/** Mail clients' line length for format=flowed (Thunderbird's default wrap). */
const FLOWED_WIDTH = 72;

/**
 * RFC 3676 format=flowed as Thunderbird and Apple Mail send plain text: a line longer than the width is
 * broken after a space, and the space stays at the end of the line (a soft break the reader joins
 * again); lines starting with a space, "From " or ">" are space-stuffed.
 */
export function flow(text: string, width = FLOWED_WIDTH): string {
  const out: string[] = [];
  for (const original of text.split(/\r?\n/)) {
    let line = /^( |From |>)/.test(original) ? ` ${original}` : original.replace(/ +$/, '');
    while (line.length > width) {
      const cut = line.lastIndexOf(' ', width - 1);
      if (cut <= 0) break;
      out.push(line.slice(0, cut + 1));
      line = line.slice(cut + 1);
      if (/^( |From |>)/.test(line)) line = ` ${line}`;
    }
    out.push(line);
  }
  return out.join('\n');
}

/** Like textPart but the bytes come from another charset than the label says (a real-world mislabel). */
export function mislabelledTextPart(
  text: string,
  subtype: 'plain' | 'html',
  label: MailCharset,
  actual: MailCharset,
  encoding: TransferEncoding,
): MimePart {
  const part = textPart(text, subtype, actual, encoding);
  part.headers[0] = ['Content-Type', `text/${subtype}; charset=${label.toUpperCase()}`];
  return part;
}

export function multipart(subtype: 'alternative' | 'mixed', parts: MimePart[], boundary: string): MimePart {
  return { headers: [['Content-Type', `multipart/${subtype};${CRLF} boundary="${boundary}"`]], parts, boundary };
}

export function serializePart(part: MimePart): string {
  const head = part.headers.map(([k, v]) => `${k}: ${v}`).join(CRLF);
  if (part.parts && part.boundary) {
    const children = part.parts.map((p) => `--${part.boundary}${CRLF}${serializePart(p)}${CRLF}`).join('');
    return `${head}${CRLF}${CRLF}This is a multi-part message in MIME format.${CRLF}${CRLF}${children}--${part.boundary}--${CRLF}`;
  }
  return `${head}${CRLF}${CRLF}${part.body ?? ''}`;
}

/** The whole message: top-level headers, then the MIME entity (its headers join the top block). */
export function serializeMessage(headers: [string, string][], entity: MimePart): Buffer {
  const top = headers.map(([k, v]) => `${k}: ${v}`).join(CRLF);
  const text = `${top}${CRLF}MIME-Version: 1.0${CRLF}${serializePart(entity)}`;
  return Buffer.from(text.endsWith(CRLF) ? text : text + CRLF, 'latin1');
}
