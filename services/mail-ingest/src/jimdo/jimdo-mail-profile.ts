/**
 * The Jimdo order mail, described as data: label aliases (de/en) for every field the parser reads,
 * the column names of the item table, and the signals that tell an order mail from anything else
 * Jimdo sends (address confirmation, newsletters). Jimdo's real layout is not public (reference §2.3),
 * so when Jimdo changes its mail, this object changes — not the parser.
 */
export const JimdoMailProfile = {
  /** Subject or body matching one of these is an order mail; the rest is only forwarded (state ignored). */
  orderSignals: {
    subject: ['neue bestellung', 'new order', 'bestellung nr', 'order no', 'bestellbestätigung', 'order confirmation', 'hast eine neue bestellung', 'received a new order'],
    body: ['ist eine neue bestellung eingegangen', 'received a new order', 'neue bestellung', 'new order'],
  },
  /** Order number from the subject when the body has none: first capture group. */
  subjectOrderNumber: ['(?:bestellung|order)\\s+(?:nr|no)\\.?\\s*:?\\s*#?([A-Za-z0-9-]+)', '\\(#([A-Za-z0-9-]+)\\)', '#([0-9][A-Za-z0-9-]*)'],
  labels: {
    orderNumber: ['Bestellnummer', 'Bestell-Nr.', 'Bestellnr.', 'Bestellung Nr.', 'Order number', 'Order no.', 'Order ID', 'Order #'],
    orderDate: ['Bestelldatum', 'Bestellt am', 'Datum der Bestellung', 'Datum', 'Order date', 'Ordered on', 'Date'],
    subtotal: ['Zwischensumme', 'Warenwert', 'Subtotal'],
    shipping: ['Versand', 'Versandkosten', 'Shipping', 'Shipping costs', 'Delivery'],
    total: ['Gesamtsumme', 'Gesamtbetrag', 'Endsumme', 'Order total', 'Grand total', 'Total amount'],
    vat: ['enthaltene MwSt.', 'inkl. MwSt.', 'MwSt.', 'USt.', 'incl. VAT', 'including VAT', 'VAT'],
    paymentMethod: ['Zahlungsart', 'Zahlungsmethode', 'Bezahlart', 'Payment method', 'Payment'],
    shippingMethod: ['Versandart', 'Versandmethode', 'Shipping method', 'Delivery method'],
    billingAddress: ['Rechnungsadresse', 'Rechnungsanschrift', 'Billing address', 'Invoice address'],
    shippingAddress: ['Lieferadresse', 'Versandadresse', 'Lieferanschrift', 'Shipping address', 'Delivery address'],
    email: ['E-Mail', 'Email', 'E-Mail-Adresse', 'Email address', 'E-mail'],
    phone: ['Telefon', 'Tel.', 'Telefonnummer', 'Phone', 'Phone number'],
    comment: ['Anmerkung des Kunden', 'Anmerkung', 'Kommentar', 'Nachricht des Kunden', 'Bemerkung', 'Customer note', 'Comment', 'Note from customer', 'Message from customer'],
  },
  /** Item table (header row) or item block (indented "Label: value" lines) fields. */
  positionFields: {
    quantity: ['Anzahl', 'Menge', 'Stück', 'Stk.', 'Quantity', 'Qty', 'Qty.'],
    title: ['Artikel', 'Artikelname', 'Produkt', 'Bezeichnung', 'Item', 'Product', 'Article'],
    sku: ['Artikelnummer', 'Art.-Nr.', 'Artikel-Nr.', 'SKU', 'Item number', 'Article number', 'Product number'],
    variant: ['Variante', 'Ausführung', 'Variant', 'Option'],
    unitPrice: ['Einzelpreis', 'Stückpreis', 'Preis', 'Unit price', 'Price', 'Price per item'],
    totalPrice: ['Gesamtpreis', 'Gesamt', 'Summe', 'Total', 'Total price', 'Line total'],
    taxRate: ['MwSt.-Satz', 'Steuersatz', 'VAT rate', 'Tax rate'],
  },
  /** Values in the SKU column that mean "no SKU" (JIM-3). */
  emptySku: ['-', '–', '—', 'n/a', 'k.a.', ''],
  countries: {
    deutschland: 'DE', germany: 'DE', de: 'DE',
    österreich: 'AT', austria: 'AT', at: 'AT',
    schweiz: 'CH', switzerland: 'CH', ch: 'CH',
    frankreich: 'FR', france: 'FR',
    niederlande: 'NL', netherlands: 'NL',
    belgien: 'BE', belgium: 'BE',
    italien: 'IT', italy: 'IT',
    luxemburg: 'LU', luxembourg: 'LU',
    'vereinigtes königreich': 'GB', 'united kingdom': 'GB',
  } as Record<string, string>,
  currencies: { '€': 'EUR', eur: 'EUR', chf: 'CHF', '$': 'USD', usd: 'USD', '£': 'GBP', gbp: 'GBP' } as Record<string, string>,
  defaultCurrency: 'EUR',
  /** Wall-clock times in the mail are shop-local. */
  timeZone: 'Europe/Berlin',
  months: {
    january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
    januar: 1, jänner: 1, februar: 2, märz: 3, mai: 5, juni: 6, juli: 7, oktober: 10, dezember: 12,
    jan: 1, feb: 2, mar: 3, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, okt: 10, nov: 11, dec: 12, dez: 12,
  } as Record<string, number>,
} as const;

export type MailProfile = typeof JimdoMailProfile;
