import type { Schemas } from '../../api/client';

export const ORDER_STATES = Array.from({ length: 17 }, (_, i) => i + 1);

// a formatter is costly to build and a table has hundreds of cells: one per locale and currency
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function formatter<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, create: () => F): F {
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = create()));
  return f as F;
}

export function money(amount: number, currency: string, locale: string): string {
  return formatter(`money ${locale} ${currency}`, () => new Intl.NumberFormat(locale, { style: 'currency', currency })).format(amount);
}

export function dateTime(iso: string | undefined, locale: string): string {
  if (!iso) return '';
  return formatter(`date ${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' })).format(
    new Date(iso),
  );
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
