/**
 * Column names of Jimdo's order export (one row per ordered article), per locale. The French set is
 * the observed 34-column export (reference §2.2); German and English are Jimdo's UI wording as far
 * as known — a real sample that differs is fixed here, not in the importer. Matching ignores case,
 * spaces and punctuation.
 */
export const JimdoExportColumns = {
  orderNumber: {
    fr: ['N°', 'N° de commande'],
    de: ['Bestellnummer', 'Bestell-Nr.', 'Nr.'],
    en: ['Order number', 'Order no.', 'Order #', 'No.'],
  },
  sku: { fr: ["N° d'article", 'Référence'], de: ['Artikelnummer', 'Art.-Nr.', 'SKU'], en: ['Item number', 'Article number', 'SKU'] },
  orderDate: { fr: ['Date de commande'], de: ['Bestelldatum', 'Datum'], en: ['Order date', 'Date'] },
  paymentMethod: { fr: ['Mode de paiement'], de: ['Zahlungsart', 'Zahlungsmethode'], en: ['Payment method'] },
  title: { fr: ['Article'], de: ['Artikel', 'Artikelname', 'Produkt'], en: ['Item', 'Article', 'Product', 'Item name'] },
  variant: { fr: ['Déclinaison'], de: ['Variante'], en: ['Variant'] },
  quantity: { fr: ['Quantité'], de: ['Anzahl', 'Menge'], en: ['Quantity', 'Qty'] },
  unitPriceNet: { fr: ["Prix à l'unité net"], de: ['Einzelpreis netto', 'Stückpreis netto'], en: ['Unit price net', 'Net unit price'] },
  unitPriceGross: {
    fr: ["Prix à l'unité brut", "Prix à l'unité"],
    de: ['Einzelpreis brutto', 'Einzelpreis'],
    en: ['Unit price gross', 'Unit price'],
  },
  totalNet: { fr: ['Prix net'], de: ['Preis netto', 'Nettopreis', 'Gesamtpreis netto'], en: ['Net price', 'Price net', 'Total net'] },
  totalGross: {
    fr: ['Prix brut'],
    de: ['Preis brutto', 'Bruttopreis', 'Gesamtpreis brutto', 'Gesamtpreis'],
    en: ['Gross price', 'Price gross', 'Total gross', 'Total'],
  },
  taxRate: { fr: ['Taux de TVA', 'TVA'], de: ['MwSt.-Satz', 'Steuersatz', 'MwSt.'], en: ['VAT rate', 'Tax rate', 'VAT'] },
  currency: { fr: ['Devise'], de: ['Währung'], en: ['Currency'] },
  shippingCost: { fr: ['Frais de livraison', "Frais d'envoi"], de: ['Versandkosten'], en: ['Shipping costs', 'Shipping cost', 'Shipping'] },
  shipDate: { fr: ["Date d'envoi"], de: ['Versanddatum'], en: ['Shipping date', 'Ship date'] },
  billingCompany: { fr: ['Entreprise pour facturation'], de: ['Firma (Rechnung)', 'Rechnung Firma'], en: ['Billing company'] },
  billingTitle: { fr: ['Titre pour facturation'], de: ['Anrede (Rechnung)', 'Rechnung Anrede'], en: ['Billing title'] },
  billingLastName: { fr: ['Nom pour facturation'], de: ['Nachname (Rechnung)', 'Rechnung Nachname'], en: ['Billing last name'] },
  billingFirstName: { fr: ['Prénom pour facturation'], de: ['Vorname (Rechnung)', 'Rechnung Vorname'], en: ['Billing first name'] },
  billingEmail: { fr: ['Email pour facturation'], de: ['E-Mail (Rechnung)', 'Rechnung E-Mail', 'E-Mail'], en: ['Billing email', 'Email'] },
  billingStreet: { fr: ['Rue pour facturation'], de: ['Straße (Rechnung)', 'Rechnung Straße'], en: ['Billing street'] },
  billingZip: { fr: ['Code postal pour facturation'], de: ['PLZ (Rechnung)', 'Rechnung PLZ'], en: ['Billing zip', 'Billing postcode'] },
  billingCity: { fr: ['Ville pour facturation'], de: ['Ort (Rechnung)', 'Rechnung Ort'], en: ['Billing city'] },
  billingCountry: { fr: ['Pays pour facturation'], de: ['Land (Rechnung)', 'Rechnung Land'], en: ['Billing country'] },
  billingComment: { fr: ['Remarque (facture)'], de: ['Anmerkung (Rechnung)', 'Anmerkung'], en: ['Note (invoice)', 'Comment'] },
  vatId: { fr: ['N° TVA Intracommunautaire'], de: ['USt-IdNr.'], en: ['VAT ID'] },
  birthDate: { fr: ['Date de naissance'], de: ['Geburtsdatum'], en: ['Date of birth'] },
  customerNumber: { fr: ['Numéro client'], de: ['Kundennummer'], en: ['Customer number'] },
  shippingCompany: { fr: ['Entreprise pour livraison'], de: ['Firma (Lieferung)', 'Lieferung Firma'], en: ['Shipping company'] },
  shippingTitle: { fr: ['Titre pour livraison'], de: ['Anrede (Lieferung)'], en: ['Shipping title'] },
  shippingLastName: { fr: ['Nom pour livraison'], de: ['Nachname (Lieferung)', 'Lieferung Nachname'], en: ['Shipping last name'] },
  shippingMiddleName: { fr: ['Deuxième prénom pour livraison'], de: ['Zweiter Vorname (Lieferung)'], en: ['Shipping middle name'] },
  shippingFirstName: { fr: ['Prénom pour livraison'], de: ['Vorname (Lieferung)', 'Lieferung Vorname'], en: ['Shipping first name'] },
  shippingAddition: {
    fr: ["Complément d'adresse (livraison)"],
    de: ['Adresszusatz (Lieferung)'],
    en: ['Shipping address addition', 'Shipping address line 2'],
  },
  shippingStreet: { fr: ['Rue pour livraison'], de: ['Straße (Lieferung)', 'Lieferung Straße'], en: ['Shipping street'] },
  shippingZip: {
    fr: ['Code postal pour livraison'],
    de: ['PLZ (Lieferung)', 'Lieferung PLZ'],
    en: ['Shipping postal code', 'Shipping zip', 'Shipping postcode'],
  },
  shippingCity: { fr: ['Ville pour livraison'], de: ['Ort (Lieferung)', 'Lieferung Ort'], en: ['Shipping city'] },
  shippingState: {
    fr: ['Région/province pour livraison'],
    de: ['Bundesland/Region (Lieferung)', 'Bundesland (Lieferung)'],
    en: ['Shipping state/province', 'Shipping state'],
  },
  shippingCountry: { fr: ['Pays pour livraison'], de: ['Land (Lieferung)', 'Lieferung Land'], en: ['Shipping country'] },
  shippingPhone: { fr: ['Téléphone pour livraison'], de: ['Telefon (Lieferung)', 'Telefon'], en: ['Shipping phone', 'Phone'] },
  shippingEmail: { fr: ['E-Mail pour livraison'], de: ['E-Mail (Lieferung)'], en: ['Shipping email'] },
  shippingComment: { fr: ['Remarque (livraison)'], de: ['Anmerkung (Lieferung)'], en: ['Note (shipping)'] },
} as const;

export type ExportField = keyof typeof JimdoExportColumns;
export type ExportLocale = 'fr' | 'de' | 'en';

export const headerKey = (s: string) =>
  s
    .normalize('NFC')
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/[\s._:-]+/g, '')
    .trim();

export interface HeaderMatch {
  columns: Map<ExportField, number>;
  locale: ExportLocale;
}

/** Matches a header row; undefined unless it has an order number column and at least three known columns. */
export function matchHeader(cells: string[]): HeaderMatch | undefined {
  let best: HeaderMatch | undefined;
  for (const locale of ['de', 'en', 'fr'] as const) {
    const columns = new Map<ExportField, number>();
    cells.forEach((cell, idx) => {
      const key = headerKey(cell);
      if (!key) return;
      for (const [field, byLocale] of Object.entries(JimdoExportColumns) as [ExportField, Record<ExportLocale, readonly string[]>][]) {
        if (!columns.has(field) && byLocale[locale].some((a) => headerKey(a) === key)) {
          columns.set(field, idx);
          break;
        }
      }
    });
    if (columns.has('orderNumber') && columns.size >= 3 && (!best || columns.size > best.columns.size)) best = { columns, locale };
  }
  return best;
}
