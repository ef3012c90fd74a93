/**
 * Errors as the official PHP SDK answers them: plain-text German bodies, not JSON (reference section 7).
 * Texts are copied verbatim, including the missing full stops on some of them.
 */
export class ShopApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 500,
    readonly body: string,
  ) {
    super(body);
  }
}

export const ApiErrors = {
  unauthorized: () => new ShopApiError(401, 'Unautorisiert'),
  noAction: () => new ShopApiError(400, 'Keine Aktion übergeben.'),
  notImplemented: () => new ShopApiError(400, 'Diese Aktion ist nicht implementiert.'),
  missingOrderId: () => new ShopApiError(400, 'Es wurde keine OrderId übergeben'),
  missingProductId: () => new ShopApiError(400, 'Es wurde keine ProductId übergeben'),
  missingNewStateTypeId: () => new ShopApiError(400, 'Es wurde keine NewStateTypeId übergeben'),
  missingAvailableStock: () => new ShopApiError(400, 'Es wurde kein AvailableStock übergeben'),
  orderNotFound: () => new ShopApiError(404, 'Die Bestellung wurde nicht gefunden'),
  productNotFound: () => new ShopApiError(404, 'Der Artikel wurde nicht gefunden'),
  badDate: (value: string) => new ShopApiError(500, `Der Wert ${value} konnte nicht in eine gültiges Datum umgewandelt werden.`),
} as const;
