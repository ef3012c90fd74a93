/** OTTO sends ISO-3166 alpha-3 country codes; the hub stores alpha-2. OTTO ships to these (and a few more). */
const ALPHA3_TO_ALPHA2: Record<string, string> = {
  DEU: 'DE',
  AUT: 'AT',
  CHE: 'CH',
  NLD: 'NL',
  BEL: 'BE',
  LUX: 'LU',
  FRA: 'FR',
  ITA: 'IT',
  ESP: 'ES',
  PRT: 'PT',
  POL: 'PL',
  CZE: 'CZ',
  SVK: 'SK',
  HUN: 'HU',
  SVN: 'SI',
  HRV: 'HR',
  DNK: 'DK',
  SWE: 'SE',
  FIN: 'FI',
  NOR: 'NO',
  IRL: 'IE',
  GBR: 'GB',
  GRC: 'GR',
  ROU: 'RO',
  BGR: 'BG',
  EST: 'EE',
  LVA: 'LV',
  LTU: 'LT',
  MLT: 'MT',
  CYP: 'CY',
  LIE: 'LI',
  MCO: 'MC',
  ISL: 'IS',
  USA: 'US',
  TUR: 'TR',
  UKR: 'UA',
};

export function alpha2(alpha3: string | undefined): string | undefined {
  if (!alpha3) return undefined;
  const code = alpha3.toUpperCase();
  if (/^[A-Z]{2}$/.test(code)) return code;
  return ALPHA3_TO_ALPHA2[code];
}
