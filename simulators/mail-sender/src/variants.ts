import { buildJimdoOrderMail, type JimdoMail, type JimdoOrderMailOptions } from './jimdo-mail';

/**
 * The catalogue of mail variants a Jimdo mail parser must cope with: both shop generations and
 * languages, every form, charset (incl. the ISO-8859-1 label over Windows-1252 bytes), transfer
 * encoding and line layout (long, format=flowed, hard-wrapped), and each way a merchant forwards by hand.
 */
export const JIMDO_MAIL_VARIANTS: readonly JimdoOrderMailOptions[] = [
  { seed: 1, shopKind: 'classic', locale: 'de', form: 'text', charset: 'utf-8', transferEncoding: 'quoted-printable' },
  { seed: 2, shopKind: 'classic', locale: 'de', form: 'html', charset: 'iso-8859-1', transferEncoding: 'quoted-printable' },
  { seed: 3, shopKind: 'classic', locale: 'en', form: 'multipart', charset: 'windows-1252', transferEncoding: 'base64' },
  {
    seed: 4,
    shopKind: 'classic',
    locale: 'de',
    form: 'multipart',
    charset: 'iso-8859-1',
    mislabelledLatin1: true,
    transferEncoding: 'quoted-printable',
  },
  { seed: 5, shopKind: 'dolphin', locale: 'de', form: 'multipart', charset: 'utf-8', transferEncoding: 'base64' },
  { seed: 6, shopKind: 'dolphin', locale: 'en', form: 'html', charset: 'utf-8', transferEncoding: 'quoted-printable' },
  { seed: 7, shopKind: 'dolphin', locale: 'en', form: 'text', charset: 'iso-8859-1', transferEncoding: 'base64' },
  { seed: 8, shopKind: 'dolphin', locale: 'de', form: 'text', charset: 'windows-1252', transferEncoding: 'quoted-printable' },
  { seed: 9, shopKind: 'classic', locale: 'de', form: 'multipart', charset: 'utf-8', forward: 'outlook' },
  { seed: 10, shopKind: 'dolphin', locale: 'en', form: 'multipart', charset: 'utf-8', forward: 'gmail', transferEncoding: 'base64' },
  { seed: 11, shopKind: 'dolphin', locale: 'de', form: 'multipart', charset: 'utf-8', forward: 'gmail' },
  { seed: 12, shopKind: 'classic', locale: 'de', form: 'text', charset: 'windows-1252', forward: 'thunderbird' },
  { seed: 13, shopKind: 'classic', locale: 'en', form: 'multipart', charset: 'utf-8', forward: 'thunderbird', forwardLocale: 'en' },
  { seed: 14, shopKind: 'dolphin', locale: 'de', form: 'html', charset: 'utf-8', forward: 'apple-mail' },
  { seed: 15, shopKind: 'classic', locale: 'en', form: 'text', charset: 'utf-8', forward: 'apple-mail' },
  { seed: 16, shopKind: 'classic', locale: 'de', form: 'multipart', charset: 'iso-8859-1', forward: 'attachment' },
  { seed: 17, shopKind: 'dolphin', locale: 'en', form: 'multipart', charset: 'utf-8', forward: 'attachment', transferEncoding: 'base64' },
  { seed: 18, shopKind: 'dolphin', locale: 'en', form: 'text', charset: 'utf-8', forward: 'outlook', forwardLocale: 'en' },
  { seed: 19, shopKind: 'classic', locale: 'de', form: 'text', charset: 'utf-8', flowed: true },
  { seed: 20, shopKind: 'dolphin', locale: 'de', form: 'multipart', charset: 'iso-8859-1', transferEncoding: 'base64', flowed: true },
  // Hard-wrapped plain text without format=flowed, at the widths clients use (Outlook 76, Thunderbird 72, Gmail 78).
  { seed: 21, shopKind: 'classic', locale: 'de', form: 'text', charset: 'utf-8', wrap: 76, longLines: true },
  { seed: 22, shopKind: 'dolphin', locale: 'de', form: 'multipart', charset: 'windows-1252', wrap: 72, longLines: true },
  { seed: 23, shopKind: 'dolphin', locale: 'en', form: 'text', charset: 'utf-8', transferEncoding: 'base64', wrap: 78, longLines: true },
  { seed: 24, shopKind: 'classic', locale: 'en', form: 'multipart', charset: 'iso-8859-1', wrap: 72 },
];

export function buildAllJimdoMailVariants(): JimdoMail[] {
  return JIMDO_MAIL_VARIANTS.map((v) => buildJimdoOrderMail(v));
}
