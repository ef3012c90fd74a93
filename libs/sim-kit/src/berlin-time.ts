/**
 * Wall-clock time in Germany (CET/CEST), without relying on the host's time zone: shops, mail
 * clients and marketplaces there write +0100 in winter and +0200 in summer, not UTC.
 */
const germany = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Berlin',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  weekday: 'short',
  timeZoneName: 'longOffset',
});
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `GMT+02:00` → 120, `GMT` → 0. */
function offsetOf(zoneName: string): number {
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(zoneName);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** The local wall-clock parts of a date in Germany, from the runtime's time-zone data. */
export function berlinParts(date: Date) {
  const parts = Object.fromEntries(germany.formatToParts(date).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
    offset: offsetOf(parts.timeZoneName ?? ''),
  };
}

/** Germany's offset for a date in minutes (60 or 120). */
export function berlinOffsetMinutes(date: Date): number {
  return berlinParts(date).offset;
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** `2026-07-01T14:00:00+0200`: local time with the offset, no colon (PHP `DateTimeInterface::ISO8601`). */
export function berlinIso8601(date: Date): string {
  const b = berlinParts(date);
  return `${b.year}-${p2(b.month)}-${p2(b.day)}T${p2(b.hour)}:${p2(b.minute)}:${p2(b.second)}+${p2(b.offset / 60)}00`;
}

const p3 = (n: number) => String(n).padStart(3, '0');

/** `2026-07-01T14:00:00.000+02:00`: local time with milliseconds and a colon in the offset, as OTTO's API writes it (Java OffsetDateTime). */
export function berlinIsoExtended(date: Date): string {
  const b = berlinParts(date);
  const ms = date.getUTCMilliseconds();
  return `${b.year}-${p2(b.month)}-${p2(b.day)}T${p2(b.hour)}:${p2(b.minute)}:${p2(b.second)}.${p3(ms)}+${p2(b.offset / 60)}:00`;
}
