import { Router, type Response } from 'express';
import { z } from 'zod';
import { partnerOf, requireBearer, type TokenIssuer } from './auth';
import { sendError, sendErrors, zodIssuesToErrors, type OttoError } from './errors';
import type { PositionItem, Shipment, ShipmentPositionItem, StoredOrder } from './model';
import { pathParam } from './params';
import type { OttoStore } from './store';

export const CARRIERS = [
  'DHL',
  'DHL_EXPRESS',
  'DHL_FREIGHT',
  'DHL_HOME_DELIVERY',
  'GLS',
  'HERMES',
  'DPD',
  'UPS',
  'BTW',
  'BURSPED',
  'CARGOLINE',
  'DACHSER',
  'DB_SCHENKER',
  'DSV',
  'EMONS',
  'EPH_DIREKT',
  'IDS',
  'GEIS',
  'GEL',
  'GUETTLER',
  'HES',
  'HELLMANN',
  'HEUEL',
  'KOCH',
  'KUEHNE_NAGEL',
  'LOGWIN',
  'MEYER_JUMBO',
  'RABEN_LOGISTIK',
  'RHENUS',
  'REIMER',
  'REITHMEIER',
  'SCHOCKEMOEHLE',
  'SCHMIDT_GEVELSBERG',
  'ZUFALL',
  'OTHER_FORWARDER',
] as const;
/** Parcel services: tracking number and a return tracking key per item are mandatory. The rest are forwarders. */
export const PARCEL_CARRIERS: ReadonlySet<string> = new Set(['DHL', 'DHL_EXPRESS', 'GLS', 'HERMES', 'DPD', 'UPS']);
/** OTTO pre-prints return labels only with these carriers. */
export const RETURN_CARRIERS = ['DHL', 'GLS', 'HERMES'] as const;

const ShipmentPositionItemSchema = z.object({
  positionItemId: z.string().min(1),
  salesOrderId: z.string().min(1),
  returnTrackingKey: z.object({ carrier: z.enum(RETURN_CARRIERS), trackingNumber: z.string().min(1) }).optional(),
  returnAddressCarrierId: z.string().optional(),
});

const CreateShipmentSchema = z.object({
  trackingKey: z.object({ carrier: z.enum(CARRIERS), trackingNumber: z.string().min(1).optional() }),
  shipDate: z.iso.datetime({ offset: true }),
  shipFromAddress: z.object({
    city: z.string().min(1).max(60),
    countryCode: z.string().regex(/^[A-Z]{3}$/),
    zipCode: z.string().min(1).max(10),
  }),
  positionItems: z.array(ShipmentPositionItemSchema).min(1),
});

const ListQuerySchema = z.object({
  datefrom: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date or date-time'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  next: z.string().optional(),
});

/** Shipments V1: creating a shipment marks its items SENT (and makes OTTO issue the invoice). */
export function shipmentsRouter(store: OttoStore, issuer: TokenIssuer): Router {
  const router = Router();
  const auth = requireBearer(issuer, 'shipments');

  router.post('/v1/shipments', auth, (req, res) => {
    const partnerId = partnerOf(res);
    const parsed = CreateShipmentSchema.safeParse(req.body, { reportInput: true });
    if (!parsed.success) return sendErrors(res, 400, zodIssuesToErrors(req.path, parsed.error.issues));
    const body = parsed.data;
    const parcel = PARCEL_CARRIERS.has(body.trackingKey.carrier);
    if (parcel && !body.trackingKey.trackingNumber) {
      return sendError(
        res,
        400,
        req.path,
        'PROPERTY_IS_MANDATORY',
        'trackingNumber is required for parcel deliveries',
        'trackingKey.trackingNumber',
      );
    }
    if (
      body.trackingKey.trackingNumber &&
      store.findShipmentByTrackingKey(partnerId, body.trackingKey.carrier, body.trackingKey.trackingNumber)
    ) {
      return sendError(res, 409, req.path, 'DUPLICATE_TRACKING_KEY', 'Tracking key already exists for another shipment', 'trackingKey');
    }
    const resolved = resolveItems(store, res, req.path, partnerId, body.positionItems, parcel);
    if (!resolved) return;

    const shipment = store.addShipment({
      partnerId,
      creationDate: store.timestamp(),
      shipDate: body.shipDate,
      trackingKey: body.trackingKey,
      shipFromAddress: body.shipFromAddress,
      positionItems: body.positionItems,
      states: [],
    });
    shipment.states.push({ state: 'SENT', occurredOn: shipment.creationDate });
    markSent(store, shipment, resolved);
    res.status(201).json({ shipmentId: shipment.shipmentId });
  });

  router.get('/v1/shipments', auth, (req, res) => {
    const partnerId = partnerOf(res);
    const query = ListQuerySchema.safeParse(req.query, { reportInput: true });
    if (!query.success) return sendErrors(res, 400, zodIssuesToErrors(req.path, query.error.issues));
    const { datefrom, limit, next } = query.data;
    const after = next ? Buffer.from(next, 'base64url').toString('utf8') : undefined;
    const all = [...store.shipments.values()]
      .filter((s) => s.partnerId === partnerId && Date.parse(s.creationDate) >= Date.parse(datefrom))
      .sort((a, b) => a.creationDate.localeCompare(b.creationDate) || a.shipmentId.localeCompare(b.shipmentId));
    const start = after ? all.findIndex((s) => `${s.creationDate}|${s.shipmentId}` > after) : 0;
    const page = start < 0 ? [] : all.slice(start, start + limit);
    const last = page[page.length - 1];
    const more = start >= 0 && start + limit < all.length;
    const links =
      more && last
        ? [
            {
              rel: 'next',
              href: `/v1/shipments?datefrom=${encodeURIComponent(datefrom)}&limit=${limit}&next=${Buffer.from(`${last.creationDate}|${last.shipmentId}`).toString('base64url')}`,
            },
          ]
        : [];
    res.json({
      resources: page.map(({ shipmentId, creationDate, trackingKey, states }) => ({ shipmentId, creationDate, trackingKey, states })),
      links,
    });
  });

  router.get('/v1/shipments/carriers/:carrier/trackingnumbers/:trackingNumber', auth, (req, res) => {
    const shipment = store.findShipmentByTrackingKey(partnerOf(res), pathParam(req, 'carrier'), pathParam(req, 'trackingNumber'));
    if (!shipment) return sendError(res, 404, req.path, 'RESOURCE_NOT_FOUND', 'No shipment with this tracking key');
    res.json(publicShipment(shipment));
  });

  router.get('/v1/shipments/:shipmentId', auth, (req, res) => {
    const shipment = store.shipments.get(pathParam(req, 'shipmentId'));
    if (!shipment) return sendError(res, 404, req.path, 'RESOURCE_NOT_FOUND', `No shipment '${pathParam(req, 'shipmentId')}'`);
    if (shipment.partnerId !== partnerOf(res))
      return sendError(res, 403, req.path, 'INSUFFICIENT_PERMISSION', 'The shipment belongs to another partner');
    res.json(publicShipment(shipment));
  });

  // Correction: add position items forgotten in an existing shipment (OTTO issues a separate receipt).
  const appendItems = (shipment: Shipment | undefined, path: string, partnerId: string, rawBody: unknown, res: Response) => {
    if (!shipment || shipment.partnerId !== partnerId) return sendError(res, 404, path, 'RESOURCE_NOT_FOUND', 'No such shipment');
    const parsed = z.array(ShipmentPositionItemSchema).min(1).safeParse(rawBody, { reportInput: true });
    if (!parsed.success) return sendErrors(res, 400, zodIssuesToErrors(path, parsed.error.issues));
    const resolved = resolveItems(store, res, path, partnerId, parsed.data, PARCEL_CARRIERS.has(shipment.trackingKey.carrier));
    if (!resolved) return;
    shipment.positionItems.push(...parsed.data);
    markSent(store, shipment, resolved);
    res.status(200).end();
  };
  router.post('/v1/shipments/:shipmentId/positionitems', auth, (req, res) => {
    appendItems(store.shipments.get(pathParam(req, 'shipmentId')), req.path, partnerOf(res), req.body, res);
  });
  router.post('/v1/shipments/carriers/:carrier/trackingnumbers/:trackingNumber/positionitems', auth, (req, res) => {
    const partnerId = partnerOf(res);
    appendItems(
      store.findShipmentByTrackingKey(partnerId, pathParam(req, 'carrier'), pathParam(req, 'trackingNumber')),
      req.path,
      partnerId,
      req.body,
      res,
    );
  });

  return router;
}

type ResolvedItem = { stored: StoredOrder; item: PositionItem };

/** Checks every item of a shipment request; answers the error itself and returns undefined on failure. */
function resolveItems(
  store: OttoStore,
  res: Response,
  path: string,
  partnerId: string,
  items: ShipmentPositionItem[],
  parcel: boolean,
): ResolvedItem[] | undefined {
  const errors: OttoError[] = [];
  const conflicts: OttoError[] = [];
  const resolved: ResolvedItem[] = [];
  const seen = new Set<string>();
  items.forEach((requested, index) => {
    const jsonPath = `positionItems[${index}]`;
    if (parcel && !requested.returnTrackingKey) {
      errors.push({
        path,
        title: 'PROPERTY_IS_MANDATORY',
        detail: 'returnTrackingKey is required for parcel deliveries',
        jsonPath: `${jsonPath}.returnTrackingKey`,
      });
    }
    if (seen.has(requested.positionItemId)) {
      errors.push({ path, title: 'PROPERTY_IS_INVALID', detail: 'position item listed twice', jsonPath });
      return;
    }
    seen.add(requested.positionItemId);
    const found = store.findPositionItem(partnerId, requested.salesOrderId, requested.positionItemId);
    if (!found) {
      errors.push({
        path,
        title: 'INSUFFICIENT_PERMISSION',
        detail: 'Position item does not exist or does not belong to the partner',
        jsonPath,
      });
      return;
    }
    if (found.item.fulfillmentStatus === 'SENT' || store.shipmentOfItem(requested.positionItemId)) {
      conflicts.push({
        path,
        title: 'POSITION_ITEM_INCLUDED_IN_OTHER_SHIPMENT',
        detail: 'Position item is already included in another shipment',
        jsonPath,
      });
      return;
    }
    // ANNOUNCED items are only reserved (no address yet) and must not be shipped; cancelled/returned ones are gone.
    if (found.item.fulfillmentStatus !== 'PROCESSABLE') {
      errors.push({
        path,
        title: 'POSITION_ITEM_NOT_PROCESSABLE',
        detail: `Position item is in state ${found.item.fulfillmentStatus}, only PROCESSABLE items can be shipped`,
        jsonPath,
      });
      return;
    }
    resolved.push(found);
  });
  if (errors.length > 0) {
    sendErrors(res, 400, errors);
    return undefined;
  }
  if (conflicts.length > 0) {
    sendErrors(res, 409, conflicts);
    return undefined;
  }
  return resolved;
}

function markSent(store: OttoStore, shipment: Shipment, items: ResolvedItem[]): void {
  for (const { stored, item } of items) {
    item.trackingInfo = {
      carrier: shipment.trackingKey.carrier,
      ...(shipment.trackingKey.trackingNumber ? { trackingNumber: shipment.trackingKey.trackingNumber } : {}),
    };
    store.transition(stored, item, 'SENT', { at: shipment.shipDate });
  }
}

export function publicShipment(shipment: Shipment): Omit<Shipment, 'partnerId'> {
  const { partnerId: _partnerId, ...rest } = shipment;
  return structuredClone(rest);
}
