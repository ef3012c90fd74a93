/**
 * Billbee REST API v1 enumerations (numbers as Billbee's Swagger document and official SDKs define them;
 * see docs/billbee-api.md). The hub's order states already use Billbee's OrderState ids (1..17).
 */

/** `ShipmentType`: 0 shipment, 1 return ("Retoure"). */
export const BillbeeShipmentType = { Shipment: 0, Return: 1 } as const;

/** `ShippingCarrier` ids (C# `ShippingCarrierEnum`); 0 = other. */
export const BillbeeShippingCarriers: readonly { Id: number; Name: string; aliases: readonly string[] }[] = [
  { Id: 0, Name: 'other', aliases: [] },
  { Id: 1, Name: 'dhlExpress', aliases: ['dhl express', 'dhlexpress'] },
  { Id: 2, Name: 'dhl', aliases: ['dhl', 'dhl paket'] },
  { Id: 3, Name: 'hermes', aliases: ['hermes'] },
  { Id: 4, Name: 'dpd', aliases: ['dpd'] },
  { Id: 5, Name: 'ups', aliases: ['ups'] },
  { Id: 6, Name: 'gls', aliases: ['gls'] },
  { Id: 7, Name: 'dpag', aliases: ['deutsche post', 'dpag', 'post'] },
  { Id: 8, Name: 'OePost', aliases: ['österreichische post', 'oepost', 'post.at'] },
  { Id: 9, Name: 'fedex', aliases: ['fedex'] },
  { Id: 10, Name: 'generalOvernight', aliases: ['general overnight', 'go!'] },
  { Id: 11, Name: 'tnt', aliases: ['tnt'] },
  { Id: 12, Name: 'liefery', aliases: ['liefery'] },
  { Id: 13, Name: 'iloxx', aliases: ['iloxx'] },
  { Id: 14, Name: 'parcel_one', aliases: ['parcel one', 'parcelone'] },
  { Id: 15, Name: 'cargo_international', aliases: ['cargo international'] },
  { Id: 16, Name: 'pin_mail', aliases: ['pin mail', 'pin'] },
  { Id: 17, Name: 'usPostalService', aliases: ['usps', 'us postal service'] },
  { Id: 18, Name: 'amazon_logistics', aliases: ['amazon logistics', 'amazon'] },
];

/** Our free-text carrier name → Billbee's ShippingCarrier id (0 = other). */
export function carrierIdFor(carrier: string): number {
  const key = carrier.trim().toLowerCase();
  return BillbeeShippingCarriers.find((c) => c.Name.toLowerCase() === key || c.aliases.includes(key))?.Id ?? 0;
}

/** Billbee's ShippingCarrier id → the carrier name stored on our shipment (undefined when unknown). */
export function carrierNameFor(id: number): string | undefined {
  const carrier = BillbeeShippingCarriers.find((c) => c.Id === id);
  return carrier && carrier.Id !== 0 ? carrier.Name : undefined;
}

/** `PaymentType` ids for the payment methods our channels report (C# `PaymentTypeEnum`); 22 = other. */
const PAYMENT_TYPES: readonly [RegExp, number][] = [
  [/^pay\s*pal/i, 3],
  [/vorkasse|prepay|pre-pay|advance/i, 59],
  [/nachnahme|cash on delivery|\bcod\b/i, 2],
  [/rechnung|invoice/i, 26],
  [/lastschrift|direct debit|sepa/i, 23],
  [/sofort/i, 19],
  [/klarna/i, 98],
  [/kredit|credit\s*card/i, 31],
  [/amazon/i, 61],
  [/otto/i, 119],
  [/apple\s*pay/i, 113],
  [/google\s*pay/i, 129],
  [/überweisung|ueberweisung|bank\s*transfer|wire/i, 1],
  [/bar|cash/i, 4],
  [/gutschein|voucher/i, 6],
];
export const BILLBEE_PAYMENT_TYPE_OTHER = 22;

export function paymentTypeFor(method: string | undefined): number {
  if (!method) return BILLBEE_PAYMENT_TYPE_OTHER;
  return PAYMENT_TYPES.find(([pattern]) => pattern.test(method))?.[1] ?? BILLBEE_PAYMENT_TYPE_OTHER;
}

/**
 * `ErrorCode` as billbee-node-api's `Errors.ErrorCode` (0..29, the same range as the current spec
 * enum); only 0 = NoError is certain (reference §3).
 */
export const BillbeeErrorCode = {
  NoError: 0,
  GeneralError: 1,
  ValidationError: 2,
  NotFoundError: 3,
  AccessDenied: 10,
  Unauthorized: 11,
  InvalidRequest: 13,
  ServerError: 15,
  ThrottledError: 20,
  OrderReadonlyError: 26,
} as const;
export type BillbeeErrorCodeName = keyof typeof BillbeeErrorCode;

/** `EventType` ids of the history entries we write (PHP `Type/EventType.php`). */
export const BillbeeEventType = {
  OrderImported: 0,
  BillPrinted: 1,
  OrderShipped: 12,
  OrderStateChanged: 15,
  ShipmentCreated: 18,
  OrderCanceled: 24,
  CreatedByApi: 29,
  OrderModified: 62,
  OrderStateTransfered: 63,
  OrderStateTransferFailed: 64,
} as const;
