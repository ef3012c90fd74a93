import type { Address } from '@orderhub/contracts';
import { JimdoMailProfile } from './jimdo-mail-profile';

const CURRENCY_PREFIX = /^(€|\$|£|EUR|CHF|USD|GBP)/i;
const CURRENCY_SUFFIX = /(€|\$|£|EUR|CHF|USD|GBP|%)$/i;
/** Digits with optional thousands groups (`.`, `,`, `'`), then an optional decimal part. */
const AMOUNT = /^(?:(\d{1,3})((?:([.,'])\d{3})(?:\3\d{3})*)|(\d+))(?:([.,])(\d+))?$/;

/**
 * "1.234,56 €", "€1,234.56", "12.90 EUR", "-2,50", "19 %" → number; undefined when the value is
 * not exactly one amount: `12abc`, `1e308` and `12.3.4` are not amounts, not 12, 1 and 123.4.
 * Three digits after the only separator read as a thousands group ("1.234" = 1234): prices have two decimals.
 */
export function parseMoney(input: string | undefined | null): number | undefined {
  if (input === undefined || input === null) return undefined;
  let s = String(input).replace(/[\s\u00a0\u202f\u2007]/g, '');
  let negative = false;
  const sign = () => {
    if (s.startsWith('-') || s.startsWith('+')) {
      negative ||= s.startsWith('-');
      s = s.slice(1);
      return true;
    }
    return false;
  };
  const signed = sign();
  s = s.replace(CURRENCY_PREFIX, '');
  if (!signed) sign();
  s = s.replace(CURRENCY_SUFFIX, '');
  const m = AMOUNT.exec(s);
  if (!m) return undefined;
  const [, head, groups, groupSep, plain, decimalSep, decimals] = m;
  if (groupSep && decimalSep === groupSep) return undefined; // "1.234.56"
  let intPart = plain ?? `${head}${groups!.replace(/[.,']/g, '')}`;
  let fraction = decimals ?? '';
  // "0.125" is a fraction, not 125: a thousands group never follows a lone 0
  if (head === '0' && !decimalSep && groups!.length === 4) {
    intPart = '0';
    fraction = groups!.slice(1);
  }
  const v = Number(`${intPart}.${fraction || '0'}`);
  if (!Number.isFinite(v)) return undefined;
  return negative ? -v : v;
}

export function currencyOf(input: string | undefined): string | undefined {
  if (!input) return undefined;
  const lower = input.toLowerCase();
  for (const [token, code] of Object.entries(JimdoMailProfile.currencies)) if (lower.includes(token)) return code;
  return /^[A-Z]{3}$/.test(input.trim()) ? input.trim() : undefined;
}

const shopZone = new Intl.DateTimeFormat('en-US', { timeZone: JimdoMailProfile.timeZone, timeZoneName: 'longOffset' });

/** The shop's UTC offset in minutes at an instant, from the runtime's time-zone data (`GMT+02:00` → 120). */
function shopOffsetMinutes(utcMs: number): number {
  const name = shopZone.formatToParts(utcMs).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** Shop-local wall-clock time → ISO 8601 with the shop zone's offset at that time. */
export function berlinIso(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): string | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return undefined;
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  // The wall clock read as UTC is off by the offset itself; asking again at the corrected instant settles it.
  const offset = shopOffsetMinutes(guess - shopOffsetMinutes(guess) * 60_000);
  const sign = offset >= 0 ? '+' : '-';
  return `${y}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(s)}${sign}${p2(Math.floor(Math.abs(offset) / 60))}:${p2(Math.abs(offset) % 60)}`;
}

/** "20.11.2026, 10:15 Uhr", "20.11.26 10:15", "November 20, 2026, 10:15", "20 November 2026", "2026-11-20 10:15", "11/20/2026". */
export function parseDate(input: string | undefined): string | undefined {
  if (!input) return undefined;
  const s = input.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(s)) return new Date(s).toISOString();
  const time = /(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?/i.exec(s);
  let h = time ? Number(time[1]) : 0;
  const mi = time ? Number(time[2]) : 0;
  const sec = time?.[3] ? Number(time[3]) : 0;
  if (time?.[4]) h = (h % 12) + (time[4].toLowerCase() === 'pm' ? 12 : 0);
  let m = /(\d{4})-(\d{1,2})-(\d{1,2})/.exec(s);
  if (m) return berlinIso(Number(m[1]), Number(m[2]), Number(m[3]), h, mi, sec);
  m = /(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{2,4})/.exec(s);
  if (m) return berlinIso(fullYear(Number(m[3])), Number(m[2]), Number(m[1]), h, mi, sec);
  m = /(\d{1,2})\/(\d{1,2})\/(\d{2,4})/.exec(s);
  if (m) return berlinIso(fullYear(Number(m[3])), Number(m[1]), Number(m[2]), h, mi, sec);
  const months = JimdoMailProfile.months;
  m = /([A-Za-zÄÖÜäöüé]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})/.exec(s);
  if (m && months[m[1]!.toLowerCase()]) return berlinIso(Number(m[3]), months[m[1]!.toLowerCase()]!, Number(m[2]), h, mi, sec);
  m = /(\d{1,2})\.?\s+([A-Za-zÄÖÜäöüé]+)\.?\s+(\d{4})/.exec(s);
  if (m && months[m[2]!.toLowerCase()]) return berlinIso(Number(m[3]), months[m[2]!.toLowerCase()]!, Number(m[1]), h, mi, sec);
  return undefined;
}

function fullYear(y: number): number {
  return y < 100 ? 2000 + y : y;
}

export function countryIso2(input: string | undefined): string | undefined {
  if (!input) return undefined;
  const key = input.trim().toLowerCase();
  return JimdoMailProfile.countries[key] ?? (/^[A-Za-z]{2}$/.test(key) ? key.toUpperCase() : undefined);
}

/** "Hauptstraße 12a" → street + house number. */
export function splitStreet(line: string): { street: string; houseNumber?: string } {
  const m = /^(.*?\D)\s*(\d+\s*[a-zA-Z]?(?:\s*[-/]\s*\d+\s*[a-zA-Z]?)?)$/.exec(line.trim());
  return m ? { street: m[1]!.trim(), houseNumber: m[2]!.replace(/\s+/g, '') } : { street: line.trim() };
}

export function splitName(line: string): { firstName?: string; lastName?: string } {
  const parts = line.trim().split(/\s+/);
  if (parts.length === 1) return { lastName: parts[0] };
  return { firstName: parts.slice(0, -1).join(' '), lastName: parts[parts.length - 1] };
}

const ZIP_CITY = /^((?:[A-Z]{1,2}-)?\d{4,5}|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})\s+(.+)$/;

/** The lines of a postal address block (company?, name, street, addition?, zip city, country?) → Address. */
export function parseAddressLines(input: string[]): Address | undefined {
  const lines = input.map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) return undefined;
  const address: Address = {};
  let rest = [...lines];
  const last = rest[rest.length - 1];
  const country = countryIso2(last);
  if (country && !ZIP_CITY.test(last!)) {
    address.countryIso2 = country;
    rest = rest.slice(0, -1);
  }
  const zipIdx = rest.findIndex((l) => ZIP_CITY.test(l));
  if (zipIdx >= 0) {
    const m = ZIP_CITY.exec(rest[zipIdx]!)!;
    address.zip = m[1]!;
    address.city = m[2]!.trim();
    rest = rest.slice(0, zipIdx);
  }
  if (rest.length === 0) return address;
  let streetIdx = rest.findIndex((l, i) => i >= 1 && /\d/.test(l));
  if (streetIdx < 0) streetIdx = rest.length >= 2 ? 1 : -1;
  if (streetIdx < 0) {
    Object.assign(address, splitName(rest[0]!));
    return address;
  }
  Object.assign(address, splitName(rest[streetIdx - 1]!));
  if (streetIdx >= 2) address.company = rest.slice(0, streetIdx - 1).join(' ');
  Object.assign(address, splitStreet(rest[streetIdx]!));
  const extra = rest.slice(streetIdx + 1);
  if (extra.length) address.line2 = extra.join(', ');
  return address;
}
