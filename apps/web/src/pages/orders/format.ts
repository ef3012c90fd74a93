import type { Schemas } from '../../api/client';

export const ORDER_STATES = Array.from({ length: 17 }, (_, i) => i + 1);

export function money(amount: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
}

export function dateTime(iso: string | undefined, locale: string): string {
  return iso ? new Date(iso).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' }) : '';
}

type Address = NonNullable<Schemas['Order']['buyer']>;

export function personName(a: Address | undefined): string {
  if (!a) return '';
  return [a.company, [a.firstName, a.lastName].filter(Boolean).join(' ')].filter(Boolean).join(', ');
}

export function addressLines(a: Address | undefined): string[] {
  if (!a) return [];
  return [
    personName(a),
    [a.street, a.houseNumber].filter(Boolean).join(' '),
    a.line2,
    [a.zip, a.city].filter(Boolean).join(' '),
    [a.state, a.countryIso2].filter(Boolean).join(' '),
    a.email,
    a.phone,
  ].filter((l): l is string => Boolean(l));
}
