import { ORDER_STATE_IDS, type OrderStateId } from '@orderhub/contracts';

/** Billbee payment type ids (custom-shop-api.md 5.2) → names the hub shows. Unknown ids keep their number. */
export const PAYMENT_METHOD_NAMES: Record<number, string> = {
  1: 'Bank transfer',
  2: 'Cash on delivery',
  3: 'PayPal',
  4: 'Cash',
  6: 'Voucher',
  19: 'Sofortüberweisung',
  22: 'Other',
  23: 'Direct debit',
  25: 'Klarna invoice',
  26: 'Invoice',
  31: 'Credit card',
  32: 'Maestro',
  44: 'Amazon Payments',
  48: 'EC card',
  59: 'Prepayment',
  61: 'Amazon Marketplace',
  62: 'Amazon Pay advanced',
  63: 'Stripe',
  67: 'SumUp',
  73: 'Instalments',
  97: 'Etsy Payments',
  98: 'Klarna',
  104: 'eBay',
  105: 'Mollie',
};

export function paymentMethodName(id: number | undefined): string | undefined {
  if (id === undefined) return undefined;
  return PAYMENT_METHOD_NAMES[id] ?? `Payment method ${id}`;
}

/**
 * Shop state ids are Billbee's (custom-shop-api.md 5.1) and so are the hub's: the same numbers.
 * The German names go with `NewStateName` on SetOrderState (Postman example: 4 = "Versendet").
 */
export const SHOP_STATE_NAMES: Record<OrderStateId, string> = {
  1: 'Bestellt',
  2: 'Bestätigt',
  3: 'Zahlung erhalten',
  4: 'Versendet',
  5: 'Reklamation',
  6: 'Gelöscht',
  7: 'Abgeschlossen',
  8: 'Storniert',
  9: 'Archiviert',
  10: 'Bewertet',
  11: 'Mahnung',
  12: 'Mahnung 2',
  13: 'Gepackt',
  14: 'Angeboten',
  15: 'Zahlungserinnerung',
  16: 'Im Fulfillment',
  17: 'Retoure',
};

export function hubStateFromShop(id: number | undefined): OrderStateId {
  return id !== undefined && (ORDER_STATE_IDS as number[]).includes(id) ? (id as OrderStateId) : 1;
}
