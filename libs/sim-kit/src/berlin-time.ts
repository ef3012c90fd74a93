/**
 * Wall-clock time in Germany (CET/CEST), without relying on the host's time zone: shops, mail
 * clients and marketplaces there write +0100 in winter and +0200 in summer, not UTC.
 */
/** Germany's offset for a date in minutes (60 or 120). */
export function berlinOffsetMinutes(date: Date): number {
  const y = date.getUTCFullYear();
  const lastSunday = (month: number) => {
    const d = new Date(Date.UTC(y, month + 1, 0, 1));
    return Date.UTC(y, month, d.getUTCDate() - d.getUTCDay(), 1);
  };
  const t = date.getTime();
  return t >= lastSunday(2) && t < lastSunday(9) ? 120 : 60;
}

/** The local wall-clock parts of a date in Germany. */
export function berlinParts(date: Date) {
  const offset = berlinOffsetMinutes(date);
  const local = new Date(date.getTime() + offset * 60_000);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    weekday: local.getUTCDay(),
    offset,
  };
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
