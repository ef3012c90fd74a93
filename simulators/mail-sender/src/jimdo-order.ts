import { berlinParts, pick, seededRandom } from '@orderhub/sim-kit';

/** Jimdo Creator ("classic" shop) or the current Jimdo store (Dolphin editor). */
export type JimdoShopKind = 'classic' | 'dolphin';
export type MailLocale = 'de' | 'en';

export interface JimdoAddress {
  company?: string;
  firstName: string;
  lastName: string;
  street: string;
  addressAddition?: string;
  zip: string;
  city: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
  phone?: string;
}

/** One ordered article. Prices are gross (EUR, 2 decimals), as the shop shows them to consumers. */
export interface JimdoOrderPosition {
  /** JIM-3: some Jimdo articles have no SKU. */
  sku?: string;
  name: string;
  variant?: string;
  quantity: number;
  unitPrice: number;
  totalPrice: number;
  vatRate: number;
}

/** The order a parser should extract from the generated mail or CSV. */
export interface JimdoOrder {
  shopKind: JimdoShopKind;
  locale: MailLocale;
  shopName: string;
  orderNumber: string;
  /** ISO 8601 with offset, e.g. 2026-11-27T10:15:00+01:00 */
  orderDate: string;
  currency: 'EUR';
  buyerEmail: string;
  paymentMethod: string;
  shippingMethod: string;
  billingAddress: JimdoAddress;
  shippingAddress: JimdoAddress;
  comment?: string;
  positions: JimdoOrderPosition[];
  subtotal: number;
  shippingCost: number;
  total: number;
  /** VAT included in `total`, per rate (19 / 7). */
  vat: { rate: number; amount: number }[];
}

const FIRST = ['Jürgen', 'Anna', 'Björn', 'Käthe', 'Lukas', 'Sören', 'Marie', 'Özlem', 'Hans-Peter', 'Zoë', 'Jörg', 'Léa'];
const LAST = ['Müller', 'Schäfer', 'Groß', 'Weiß', 'Köhler', 'Bäcker', 'Meier', 'Öztürk', 'Straßburger', 'Hoffmann', 'Lindqvist', 'Dupont'];
const STREETS = ['Hauptstraße 12', 'Am Mühlbach 3a', 'Königsallee 101', 'Große Bäckerstraße 7', 'Lindenweg 22', 'Fürstenwall 48'];
const CITIES: [string, string][] = [
  ['80331', 'München'],
  ['50667', 'Köln'],
  ['20095', 'Hamburg'],
  ['01067', 'Dresden'],
  ['90402', 'Nürnberg'],
  ['79098', 'Freiburg im Breisgau'],
];
const COMPANIES = ['Bäckerei Süß GmbH', 'Grünzeug & Co. KG', 'Müller Möbel e.K.'];
const SHOPS = ['Kräuterstübchen', 'Holzwerk Öhringen', 'Strickliesel Shop', 'Café Schönblick Rösterei'];
const ARTICLES: { name: string; price: number; vat: number; sku?: string; variants?: string[] }[] = [
  { name: 'Bio-Kräutertee „Frühlingsgruß“ 100 g', price: 6.9, vat: 7, sku: 'TEE-FG-100' },
  { name: 'Kaffee Espresso Röstung Nr. 5 – 500 g', price: 14.5, vat: 7, sku: 'KAF-ESP-500', variants: ['ganze Bohne', 'gemahlen'] },
  { name: 'Handgestrickte Mütze', price: 29.95, vat: 19, sku: 'MUE-001', variants: ['Größe S', 'Größe M', 'Größe L'] },
  { name: 'Schneidebrett Eiche geölt', price: 39, vat: 19, sku: 'BRETT-EI-40' },
  { name: 'Geschenkgutschein 25 €', price: 25, vat: 19 },
  { name: 'Grußkarte „Alles Gute“', price: 2.5, vat: 19 },
  { name: 'Keramiktasse blau, 300 ml', price: 12.9, vat: 19, sku: 'TAS-300-BL' },
  { name: 'Honig aus der Region 250 g', price: 5.8, vat: 7, sku: 'HON-250' },
];
const PAYMENTS = {
  de: ['PayPal', 'Vorkasse (Überweisung)', 'Rechnung', 'Kreditkarte', 'Barzahlung bei Abholung'],
  en: ['PayPal', 'Bank transfer (prepayment)', 'Invoice', 'Credit card', 'Cash on pickup'],
};
const SHIPPING: Record<MailLocale, readonly (readonly [string, number])[]> = {
  de: [
    ['DHL Paket', 4.9],
    ['Deutsche Post Warensendung', 2.7],
    ['Versandkostenfrei ab 50 €', 0],
  ],
  en: [
    ['DHL parcel', 4.9],
    ['Deutsche Post small parcel', 2.7],
    ['Free shipping from €50', 0],
  ],
};
const COMMENTS = {
  de: ['Bitte beim Nachbarn (Hausnr. 14) abgeben, falls ich nicht da bin.', 'Ist ein Geschenk – bitte keine Rechnung beilegen.\nDanke!'],
  en: ['Please leave the parcel with my neighbour at no. 14.', 'This is a gift – please do not include the invoice.\nThanks!'],
};

export const round2 = (n: number) => Math.round(n * 100) / 100;

export interface GenerateOrderOptions {
  seed?: number;
  shopKind?: JimdoShopKind;
  locale?: MailLocale;
  /** Defaults to a fixed date so fixtures are reproducible. */
  orderDate?: Date;
  positions?: number;
  /** Lines longer than a mail client's wrap width: an article name, a company and an address addition. */
  longLines?: boolean;
}

/** Real names that do not fit into 72 characters, even before the mail's table puts more on the line. */
const LONG_LINES = {
  article: 'Bio-Baumwoll-Shirt mit Rundhalsausschnitt, fair produziert und GOTS-zertifiziert',
  company: 'Sanitär- und Heizungstechnik Müller & Söhne Gesellschaft mit beschränkter Haftung',
  addressAddition: 'Hinterhaus, Aufgang B, 3. Obergeschoss links, bei Sonnenschein-Brückner klingeln',
};

/** A realistic Jimdo order, deterministic for a seed. */
export function generateJimdoOrder(options: GenerateOrderOptions = {}): JimdoOrder {
  const seed = options.seed ?? 1;
  const random = seededRandom(seed);
  const shopKind = options.shopKind ?? 'classic';
  const locale = options.locale ?? 'de';
  const person = (): JimdoAddress => {
    const [zip, city] = pick(random, CITIES);
    return {
      firstName: pick(random, FIRST),
      lastName: pick(random, LAST),
      street: pick(random, STREETS),
      zip,
      city,
      country: 'DE',
    };
  };
  const billing: JimdoAddress = {
    ...person(),
    phone: `+49 ${150 + Math.floor(random() * 30)} ${1000000 + Math.floor(random() * 8999999)}`,
  };
  if (random() < 0.3) billing.company = pick(random, COMPANIES);
  const shipping: JimdoAddress = random() < 0.4 ? { ...person(), addressAddition: 'c/o Hinterhaus' } : { ...billing };
  const count = options.positions ?? 1 + Math.floor(random() * 3);
  const chosen = [...ARTICLES].sort(() => random() - 0.5).slice(0, count);
  // At least one article without SKU in every other order (JIM-3).
  if (seed % 2 === 0 && chosen.every((a) => a.sku)) chosen[chosen.length - 1] = ARTICLES[4]!;
  const positions: JimdoOrderPosition[] = chosen.map((a) => {
    const quantity = 1 + Math.floor(random() * 3);
    return {
      ...(a.sku ? { sku: a.sku } : {}),
      name: a.name,
      ...(a.variants ? { variant: pick(random, a.variants) } : {}),
      quantity,
      unitPrice: a.price,
      totalPrice: round2(a.price * quantity),
      vatRate: a.vat,
    };
  });
  const subtotal = round2(positions.reduce((s, p) => s + p.totalPrice, 0));
  const [shippingMethod, shippingCost] = pick(random, SHIPPING[locale]);
  const vatByRate = new Map<number, number>();
  for (const p of positions) vatByRate.set(p.vatRate, (vatByRate.get(p.vatRate) ?? 0) + (p.totalPrice * p.vatRate) / (100 + p.vatRate));
  // Shipping is taxed at the standard rate (simplification; Jimdo's own split is not documented).
  if (shippingCost > 0) vatByRate.set(19, (vatByRate.get(19) ?? 0) + (shippingCost * 19) / 119);
  const date = options.orderDate ?? new Date(Date.UTC(2026, 10, 20, 9, 15, 0) + (seed % 1000) * 3_600_000);
  const orderNumber = shopKind === 'classic' ? String(1000 + ((seed * 37) % 9000)) : `${20260000 + ((seed * 7919) % 99999)}`;
  const comment = random() < 0.5 ? pick(random, COMMENTS[locale]) : undefined;
  if (options.longLines) {
    // After every random draw, so the rest of the order is the one the seed gives without long lines.
    positions[0] = { ...positions[0]!, name: LONG_LINES.article };
    billing.company = LONG_LINES.company;
    shipping.addressAddition = LONG_LINES.addressAddition;
  }
  return {
    shopKind,
    locale,
    shopName: pick(random, SHOPS),
    orderNumber,
    orderDate: toBerlinIso(date),
    currency: 'EUR',
    buyerEmail:
      `${billing.firstName}.${billing.lastName}`
        .toLowerCase()
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/ß/g, 'ss')
        .replace(/[^a-z.-]/g, '') + '@example.org',
    paymentMethod: pick(random, PAYMENTS[locale]),
    shippingMethod,
    billingAddress: billing,
    shippingAddress: shipping,
    ...(comment ? { comment } : {}),
    positions,
    subtotal,
    shippingCost,
    total: round2(subtotal + shippingCost),
    vat: [...vatByRate.entries()].sort((a, b) => b[0] - a[0]).map(([rate, amount]) => ({ rate, amount: round2(amount) })),
  };
}

const p2 = (n: number) => String(n).padStart(2, '0');

export { berlinOffsetMinutes, berlinParts } from '@orderhub/sim-kit';

export function toBerlinIso(date: Date): string {
  const b = berlinParts(date);
  return `${b.year}-${p2(b.month)}-${p2(b.day)}T${p2(b.hour)}:${p2(b.minute)}:${p2(b.second)}+${p2(b.offset / 60)}:00`;
}
