import { Router, type Request } from 'express';
import { formatBookingDate, parseBookingDate } from '../wemalo-dates';
import { invalid } from '../wemalo-errors';
import { STATUS_IDS, statusView, type Parcel } from '../goods-orders';
import type { SentBooking } from '../sent-packages';
import type { WemaloWarehouse } from '../warehouse';

const PAGE_SIZE = 50;

const dispatcherProfiles = [
  {
    name: 'DHL',
    profiles: [
      { matchId: 'dhl_paket', name: 'DHL Paket National' },
      { matchId: 'dhl_express', name: 'DHL Express' },
    ],
  },
  {
    name: 'DPD',
    profiles: [
      { matchId: 'dpd_classic', name: 'DPD Classic' },
      { matchId: 'dpd_cod', name: 'DPD COD' },
    ],
  },
];

export function goodsOrderRoutes(warehouse: WemaloWarehouse, shop: string): Router {
  const router = Router();
  const { orders, ledger } = warehouse;

  const add = (req: Request) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    return warehouse.receiveOrder(body, typeof body.shop === 'string' ? body.shop : shop);
  };
  router.post('/goodsOrder/add', (req, res) => {
    const order = add(req);
    res.json({ Success: true, id: order.id });
  });
  /** The WooCommerce plugin's variant: same body, answers with the resulting status. */
  router.post('/goodsOrder/addConditional', (req, res) => {
    const order = add(req);
    res.json({ Success: true, id: order.id, orderStatus: order.status, statusId: STATUS_IDS[order.status] });
  });

  router.get('/goodsOrder/getStatus/:externalId', (req, res) => {
    res.json(statusView(orders.get(req.params.externalId)));
  });

  router.put('/goodsOrder/cancel/:externalId', (req, res) => {
    const reason = typeof req.body?.reason === 'string' ? req.body.reason : '';
    const order = warehouse.cancel(req.params.externalId, reason);
    res.json({ Success: true, id: order.id, statusName: order.status });
  });

  router.get('/goodsOrder/profiles', (_req, res) => {
    res.json({ dispatcher: dispatcherProfiles, Success: true });
  });

  router.get('/goodsOrder/package/:parcelId/trackingNumber', (req, res) => {
    const parcel = orders.parcel(parcelId(req.params.parcelId));
    res.json({ trackingNumber: parcel.trackingNumber, profileName: parcel.profileName, carrier: parcel.carrier, Success: true });
  });

  router.get('/goodsOrder/package/:parcelId/label', (req, res) => {
    const parcel = orders.parcel(parcelId(req.params.parcelId));
    const files = [{ filename: `label_${parcel.trackingNumber}.pdf`, id: parcel.id, base64: fakePdf(parcel.trackingNumber) }];
    if (parcel.returnTrackingNumber) {
      files.push({
        filename: `return_${parcel.returnTrackingNumber}.pdf`,
        id: parcel.id + 1_000_000,
        base64: fakePdf(parcel.returnTrackingNumber),
      });
    }
    res.json({ files, Success: true });
  });

  router.get('/goodsOrder/packages', (req, res) => {
    const { orderId, externalOrderId } = req.query;
    const order =
      typeof externalOrderId === 'string'
        ? orders.get(externalOrderId)
        : typeof orderId === 'string'
          ? orders.byId(Number(orderId))
          : undefined;
    if (!order) throw invalid('orderId', 'orderId or externalOrderId of an existing goods order is required');
    res.json({ packages: orders.parcelsOf(order).map(packageView), Success: true });
  });

  /** Cursor-style polling: sent packages without a synch date yet. */
  router.get('/goodsOrder/packages/sent', (req, res) => {
    const externalId = typeof req.query.externalId === 'string' && req.query.externalId ? req.query.externalId : undefined;
    res.json(page(ledger.unsynced(externalId), req.query.page, (b) => ({ ...bookingView(b, warehouse), packageId: b.packageId })));
  });

  router.put('/goodsOrder/packages/sent/:bookingId', (req, res) => {
    const id = Number(req.params.bookingId);
    if (!Number.isInteger(id)) throw invalid('bookingId', 'bookingId must be a number');
    ledger.markSynced(id);
    res.json({ Success: true, status: 200 });
  });

  router.get('/goodsOrder/sentPackages', (req, res) => {
    const { externalId, dateFrom, dateTo, addRecipient } = req.query;
    const from = dateParam(dateFrom, 'dateFrom');
    const to = dateParam(dateTo, 'dateTo');
    const list = ledger
      .all()
      .filter((b) => typeof externalId !== 'string' || !externalId || b.externalGoodsOrderId === externalId)
      .filter((b) => (!from || b.bookingDate >= from) && (!to || b.bookingDate <= to));
    const withRecipient = addRecipient === 'true' || addRecipient === '1';
    res.json(
      page(list, req.query.page, (b) => {
        const { recipient: _r, ...rest } = bookingView(b, warehouse);
        return withRecipient ? { ...rest, recipient: b.recipient } : rest;
      }),
    );
  });

  return router;
}

function page<T>(items: T[], rawPage: unknown, view: (item: T) => Record<string, unknown>) {
  const pageNo = typeof rawPage === 'string' && /^\d+$/.test(rawPage) ? Number(rawPage) : 0;
  const slice = items.slice(pageNo * PAGE_SIZE, (pageNo + 1) * PAGE_SIZE);
  return { page: pageNo, additionalPage: items.length > (pageNo + 1) * PAGE_SIZE, bookings: slice.map(view), Success: true };
}

function bookingView(b: SentBooking, warehouse: WemaloWarehouse): Record<string, unknown> {
  const order = warehouse.orders.byId(b.goodsOrderId);
  return {
    historyId: b.historyId,
    externalGoodsOrderId: b.externalGoodsOrderId,
    goodsOrderId: b.goodsOrderId,
    orderNumberCustomer: b.orderNumberCustomer,
    trackingNumber: b.trackingNumber,
    dispatcherName: b.dispatcherName,
    dispatcherProduct: b.dispatcherProduct,
    profileName: b.profileName,
    handoverDate: formatBookingDate(b.handoverDate),
    bookingDate: formatBookingDate(b.bookingDate),
    sku: b.sku,
    externalProductId: b.externalProductId,
    count: b.count,
    ...(b.serialNumber ? { serialNumber: b.serialNumber } : {}),
    // 500 = the order has been sent completely.
    orderStatusId: order ? Number(STATUS_IDS[order.status]) : 0,
    recipient: b.recipient,
  };
}

function packageView(p: Parcel): Record<string, unknown> {
  return {
    id: p.id,
    barcode: p.barcode,
    trackingNumber: p.trackingNumber,
    profileName: p.profileName,
    carrier: p.carrier,
    ...(p.returnTrackingNumber ? { returnTrackingNumber: p.returnTrackingNumber } : {}),
    isHandedOver: p.isHandedOver,
    weightTotal: p.weightTotal,
    quantity: p.items.reduce((n, i) => n + i.quantity, 0),
    errorMessage: '',
    storageCell: '',
    items: p.items.map(({ sku, name, quantity, serialNumber }) => ({ sku, name, quantity, ...(serialNumber ? { serialNumber } : {}) })),
    units: [],
  };
}

function parcelId(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id)) throw invalid('parcelId', 'parcelId must be a number');
  return id;
}

function dateParam(raw: unknown, field: string): Date | undefined {
  if (raw === undefined || raw === '') return undefined;
  const date = typeof raw === 'string' ? parseBookingDate(raw) : undefined;
  if (!date) throw invalid(field, `${field} must be dd.MM.yyyy HH:mm:ss`);
  return date;
}

/** A minimal one-page PDF, so label downloads decode to something a viewer accepts. */
function fakePdf(text: string): string {
  return Buffer.from(`%PDF-1.4\n% wemalo simulator label ${text}\n%%EOF\n`).toString('base64');
}
