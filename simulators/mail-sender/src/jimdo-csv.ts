import iconv from 'iconv-lite';
import { berlinParts, round2, type JimdoOrder } from './jimdo-order';

export type CsvLocale = 'de' | 'en' | 'fr';
export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252';

export interface JimdoCsvOptions {
  locale?: CsvLocale;
  separator?: ';' | ',' | '\t';
  encoding?: CsvEncoding;
  /** The .xlsx export starts with a title row above the header; some CSVs saved from it keep it. */
  titleRow?: boolean;
  /** Shipping date per order number, if already shipped. */
  shippedAt?: Record<string, Date>;
}

/**
 * The 34 columns of Jimdo's order export. The French header set is observed (reference §2.2);
 * the German and English strings were not found and are our translations of it.
 */
export const JIMDO_CSV_HEADERS: Record<CsvLocale, readonly string[]> = {
  fr: [
    'N°',
    "N° d'article",
    'Date de commande',
    'Mode de paiement',
    'Article',
    'Déclinaison',
    "Prix à l'unité net",
    'Prix net',
    'Prix brut',
    'Devise',
    "Date d'envoi",
    'Entreprise pour facturation',
    'Titre pour facturation',
    'Nom pour facturation',
    'Prénom pour facturation',
    'Email pour facturation',
    'Remarque (facture)',
    'N° TVA Intracommunautaire',
    'Date de naissance',
    'Numéro client',
    'Entreprise pour livraison',
    'Titre pour livraison',
    'Nom pour livraison',
    'Deuxième prénom pour livraison',
    'Prénom pour livraison',
    "Complément d'adresse (livraison)",
    'Rue pour livraison',
    'Code postal pour livraison',
    'Ville pour livraison',
    'Région/province pour livraison',
    'Pays pour livraison',
    'Téléphone pour livraison',
    'E-Mail pour livraison',
    'Remarque (livraison)',
  ],
  de: [
    'Nr.',
    'Artikelnummer',
    'Bestelldatum',
    'Zahlungsart',
    'Artikel',
    'Variante',
    'Einzelpreis netto',
    'Preis netto',
    'Preis brutto',
    'Währung',
    'Versanddatum',
    'Firma (Rechnung)',
    'Anrede (Rechnung)',
    'Nachname (Rechnung)',
    'Vorname (Rechnung)',
    'E-Mail (Rechnung)',
    'Anmerkung (Rechnung)',
    'USt-IdNr.',
    'Geburtsdatum',
    'Kundennummer',
    'Firma (Lieferung)',
    'Anrede (Lieferung)',
    'Nachname (Lieferung)',
    'Zweiter Vorname (Lieferung)',
    'Vorname (Lieferung)',
    'Adresszusatz (Lieferung)',
    'Straße (Lieferung)',
    'PLZ (Lieferung)',
    'Ort (Lieferung)',
    'Bundesland/Region (Lieferung)',
    'Land (Lieferung)',
    'Telefon (Lieferung)',
    'E-Mail (Lieferung)',
    'Anmerkung (Lieferung)',
  ],
  en: [
    'No.',
    'Article number',
    'Order date',
    'Payment method',
    'Article',
    'Variant',
    'Net unit price',
    'Net price',
    'Gross price',
    'Currency',
    'Shipping date',
    'Billing company',
    'Billing title',
    'Billing last name',
    'Billing first name',
    'Billing email',
    'Note (invoice)',
    'VAT ID',
    'Date of birth',
    'Customer number',
    'Shipping company',
    'Shipping title',
    'Shipping last name',
    'Shipping middle name',
    'Shipping first name',
    'Shipping address addition',
    'Shipping street',
    'Shipping postal code',
    'Shipping city',
    'Shipping state/province',
    'Shipping country',
    'Shipping phone',
    'Shipping email',
    'Note (shipping)',
  ],
};

const TITLE: Record<CsvLocale, string> = { de: 'Bestellungen', en: 'Orders', fr: 'Commandes' };

function dateText(iso: string | Date, locale: CsvLocale): string {
  const b = berlinParts(typeof iso === 'string' ? new Date(iso) : iso);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const time = `${p2(b.hour)}:${p2(b.minute)}`;
  return locale === 'en' ? `${b.year}-${p2(b.month)}-${p2(b.day)} ${time}` : `${p2(b.day)}.${p2(b.month)}.${b.year} ${time}`;
}

function amount(n: number, locale: CsvLocale): string {
  const s = n.toFixed(2);
  return locale === 'en' ? s : s.replace('.', ',');
}

function cell(value: string, separator: string): string {
  return /["\r\n]/.test(value) || value.includes(separator) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Jimdo's order export, one piece at a time, so a file of any size can be streamed to disk (the
 * CSV import benchmark writes 100 000 rows) with the same bytes `buildJimdoCsvExport` returns:
 * `start()` once (BOM, optional title row, header), then `order(o)` per order.
 */
export class JimdoCsvWriter {
  readonly locale: CsvLocale;
  private readonly separator: string;
  private readonly encoding: CsvEncoding;

  constructor(private readonly options: JimdoCsvOptions = {}) {
    this.locale = options.locale ?? 'de';
    this.separator = options.separator ?? (this.locale === 'en' ? ',' : ';');
    this.encoding = options.encoding ?? 'utf-8';
  }

  start(): Buffer {
    const rows: string[][] = [];
    if (this.options.titleRow) rows.push([TITLE[this.locale]]);
    rows.push([...JIMDO_CSV_HEADERS[this.locale]]);
    const bom = this.encoding === 'utf-8-bom' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0);
    return Buffer.concat([bom, this.encode(rows)]);
  }

  /**
   * One row per line item; the order fields repeat on every row. There is no quantity column:
   * quantity = net price / net unit price. Shipping costs do not appear.
   */
  order(o: JimdoOrder): Buffer {
    const locale = this.locale;
    const b = o.billingAddress;
    const s = o.shippingAddress;
    const shipped = this.options.shippedAt?.[o.orderNumber];
    return this.encode(
      o.positions.map((p) => {
        const netUnit = round2(p.unitPrice / (1 + p.vatRate / 100));
        return [
          o.orderNumber,
          p.sku ?? '',
          dateText(o.orderDate, locale),
          o.paymentMethod,
          p.name,
          p.variant ?? '',
          amount(netUnit, locale),
          amount(round2(netUnit * p.quantity), locale),
          amount(p.totalPrice, locale),
          o.currency,
          shipped ? dateText(shipped, locale) : '',
          b.company ?? '',
          '',
          b.lastName,
          b.firstName,
          o.buyerEmail,
          o.comment ?? '',
          '',
          '',
          '',
          s.company ?? '',
          '',
          s.lastName,
          '',
          s.firstName,
          s.addressAddition ?? '',
          s.street,
          s.zip,
          s.city,
          '',
          s.country,
          b.phone ?? '',
          o.buyerEmail,
          '',
        ];
      }),
    );
  }

  private encode(rows: string[][]): Buffer {
    const text = rows.map((r) => r.map((v) => cell(v, this.separator)).join(this.separator) + '\r\n').join('');
    return this.encoding === 'windows-1252' ? iconv.encode(text, 'windows-1252') : Buffer.from(text, 'utf8');
  }
}

/** The whole export in memory: fine for fixtures and tests; stream big files with JimdoCsvWriter. */
export function buildJimdoCsvExport(orders: JimdoOrder[], options: JimdoCsvOptions = {}): Buffer {
  const writer = new JimdoCsvWriter(options);
  return Buffer.concat([writer.start(), ...orders.map((o) => writer.order(o))]);
}
