import PostalMime, { type Email } from 'postal-mime';
import { htmlToText } from './html-text';

/** What the order parser reads: the original shop mail's subject and body as plain text. */
export interface MailText {
  subject: string;
  text: string;
  from?: string;
  /** How the original was found: direct, an attached message/rfc822, or an inline forward block. */
  via: 'direct' | 'rfc822' | 'inline-forward';
}

/** Lines that open an inline forward in common clients (Gmail, Thunderbird/Outlook de+en, Apple Mail). */
const FORWARD_MARKERS = [
  /^-{2,}\s*Forwarded message\s*-{2,}\s*$/im,
  /^-{2,}\s*Weitergeleitete Nachricht\s*-{2,}\s*$/im,
  /^-{2,}\s*Original Message\s*-{2,}\s*$/im,
  /^-{2,}\s*Ursprüngliche Nachricht\s*-{2,}\s*$/im,
  /^-{2,}\s*Message transféré\s*-{2,}\s*$/im,
  /^\s*(Begin forwarded message|Anfang der weitergeleiteten Nachricht)\s*:\s*$/im,
];
const FORWARD_SUBJECT = /^\s*((fwd?|wg|weitergeleitet|tr)\s*:\s*)+/i;
const HEADER_LINE = /^\s*(From|Von|Date|Datum|Gesendet|Sent|Subject|Betreff|To|An|Cc|Reply-To|Antwort an)\s*:\s*(.*)$/i;

function bodyText(email: Email): string {
  if (email.text && email.text.trim()) return email.text;
  if (email.html) return htmlToText(email.html);
  return '';
}

function textOf(content: ArrayBuffer | Uint8Array | string): ArrayBuffer | Uint8Array | string {
  return content;
}

/**
 * Parses the raw MIME (postal-mime decodes QP/base64 and charsets via TextDecoder, which reads an
 * `iso-8859-1` label as windows-1252, so a € sent as 0x80 survives) and finds the shop's original
 * message inside a hand-forwarded mail.
 */
export async function extractMailText(raw: Buffer, depth = 0): Promise<MailText> {
  const email = await PostalMime.parse(raw, { rfc822Attachments: true, attachmentEncoding: 'arraybuffer' });
  const subject = (email.subject ?? '').trim();
  const attached = email.attachments.find((a) => a.mimeType.toLowerCase() === 'message/rfc822');
  if (attached && depth < 3) {
    const content = textOf(attached.content);
    const inner = await extractMailText(
      typeof content === 'string' ? Buffer.from(content) : Buffer.from(content as ArrayBuffer),
      depth + 1,
    );
    return { ...inner, via: 'rfc822' };
  }
  const text = normalize(bodyText(email));
  const forwarded = unwrapInlineForward(text);
  if (forwarded) {
    return {
      subject: forwarded.subject ?? subject.replace(FORWARD_SUBJECT, ''),
      text: forwarded.text,
      from: forwarded.from,
      via: 'inline-forward',
    };
  }
  return { subject, text, from: email.from && 'address' in email.from ? email.from.address : undefined, via: 'direct' };
}

export function normalize(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u202f\u2007]/g, ' ')
    .replace(/\u200b/g, '');
}

/** The forwarded part after the marker: quote prefixes removed, its header block read and dropped. */
export function unwrapInlineForward(text: string): { text: string; subject?: string; from?: string } | undefined {
  let start = -1;
  for (const marker of FORWARD_MARKERS) {
    const m = marker.exec(text);
    if (m && (start < 0 || m.index < start)) start = m.index + m[0].length;
  }
  let rest: string;
  if (start >= 0) {
    rest = text.slice(start);
  } else {
    // Outlook-style forward without a marker line: a header block (Von:/Gesendet:/An:/Betreff:) near the top.
    const lines = text.split('\n');
    const idx = lines.findIndex(
      (l, i) => /^\s*(From|Von)\s*:/i.test(l) && lines.slice(i, i + 6).some((x) => /^\s*(Subject|Betreff)\s*:/i.test(x)),
    );
    if (idx < 0 || idx > 30) return undefined;
    rest = lines.slice(idx).join('\n');
  }
  const lines = rest.split('\n').map((l) => l.replace(/^(\s*>)+ ?/, ''));
  let i = 0;
  while (i < lines.length && !lines[i]!.trim()) i += 1;
  let subject: string | undefined;
  let from: string | undefined;
  while (i < lines.length) {
    const m = HEADER_LINE.exec(lines[i]!);
    if (!m) break;
    const key = m[1]!.toLowerCase();
    if (key === 'subject' || key === 'betreff') subject = m[2]!.trim();
    if (key === 'from' || key === 'von') from = m[2]!.trim();
    i += 1;
  }
  return { text: lines.slice(i).join('\n'), ...(subject ? { subject } : {}), ...(from ? { from } : {}) };
}
