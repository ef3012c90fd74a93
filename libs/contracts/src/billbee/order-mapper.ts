import type { Address, HistoryEntry, Order, OrderPosition, Payment, Shipment } from '../order/order';
import { toBillbeeDate } from './dates';
import { BillbeeEventType, BillbeeShipmentType, carrierIdFor, paymentTypeFor } from './enums';
import { billbeeIdFor } from './ids';
import type {
  BillbeeAddress,
  BillbeeHistoryEntry,
  BillbeeOrder,
  BillbeeOrderItem,
  BillbeeOrderUser,
  BillbeePayment,
  BillbeeShipment,
} from './models';

/** What the order alone does not say: the connection's display name (Billbee's shop name). */
export interface BillbeeOrderContext {
  connectionName?: string;
}

const DEFAULT_TAX_RATE_1 = 19;
const DEFAULT_TAX_RATE_2 = 7;
const round2 = (n: number) => Math.round(n * 100) / 100;

export function toBillbeeAddress(address: Address | undefined, ownerId: string): BillbeeAddress {
  const a = address ?? {};
  return {
    BillbeeId: address ? billbeeIdFor('address', ownerId) : null,
    FirstName: a.firstName ?? null,
    LastName: a.lastName ?? null,
    Company: a.company ?? null,
    NameAddition: null,
    Street: a.street ?? null,
    HouseNumber: a.houseNumber ?? null,
    Zip: a.zip ?? null,
    City: a.city ?? null,
    CountryISO2: a.countryIso2 ?? null,
    // Real Billbee data holds the ISO2 code here too (reference §5.2).
    Country: a.countryIso2 ?? null,
    Line2: a.line2 ?? null,
    Email: a.email ?? null,
    State: a.state ?? null,
    Phone: a.phone ?? null,
  };
}

export function toBillbeeShipment(shipment: Shipment): BillbeeShipment {
  return {
    BillbeeId: billbeeIdFor('shipment', shipment.id),
    ShippingId: shipment.trackingNumber,
    Shipper: shipment.carrier,
    Created: toBillbeeDate(shipment.createdAt),
    TrackingUrl: null,
    ShippingProviderId: null,
    ShippingProviderProductId: null,
    ShippingCarrier: carrierIdFor(shipment.carrier),
    ShipmentType: shipment.type === 'return' ? BillbeeShipmentType.Return : BillbeeShipmentType.Shipment,
  };
}

/** Billbee has two VAT rates per order (regular, reduced); ours are per position. */
function taxRatesOf(positions: OrderPosition[]): { rate1: number; rate2: number } {
  const rates = [...new Set(positions.map((p) => p.taxRate).filter((r): r is number => r !== undefined && r > 0))].sort((a, b) => b - a);
  return { rate1: rates[0] ?? DEFAULT_TAX_RATE_1, rate2: rates[1] ?? DEFAULT_TAX_RATE_2 };
}

function toBillbeeItem(order: Order, position: OrderPosition, index: number, rates: { rate1: number; rate2: number }): BillbeeOrderItem {
  const rate = position.taxRate;
  const taxIndex = rate === 0 ? 0 : rate === undefined || rate === rates.rate1 ? 1 : 2;
  const effectiveRate = rate ?? rates.rate1;
  const sku = position.sku ?? null;
  const productId = position.productId ?? position.externalId ?? position.sku ?? null;
  return {
    BillbeeId: billbeeIdFor('item', `${order.id}\n${position.externalId ?? index}`),
    TransactionId: position.externalId ?? null,
    Product: {
      OldId: null,
      Id: productId,
      Title: position.title,
      Weight: null,
      SKU: sku,
      SkuOrId: sku ?? productId,
      IsDigital: false,
      Images: [],
      EAN: position.ean ?? null,
      PlatformData: null,
      TARICCode: null,
      CountryOfOrigin: null,
      BillbeeId: position.articleId ? billbeeIdFor('article', position.articleId) : null,
      Type: 1,
    },
    Quantity: position.quantity,
    TotalPrice: position.totalPrice,
    TaxAmount: round2(position.totalPrice - position.totalPrice / (1 + effectiveRate / 100)),
    TaxIndex: taxIndex,
    Discount: 0,
    Attributes: [],
    GetPriceFromArticleIfAny: false,
    IsCoupon: position.isDiscount ?? false,
    ShippingProfileId: null,
    DontAdjustStock: false,
    UnrebatedTotalPrice: position.totalPrice,
    SerialNumber: null,
    InvoiceSKU: sku,
  };
}

const HISTORY_TYPES: Record<string, [number, string]> = {
  imported: [BillbeeEventType.OrderImported, 'OrderImported'],
  'state-changed': [BillbeeEventType.OrderStateChanged, 'OrderStateChanged'],
  'shipment-added': [BillbeeEventType.ShipmentCreated, 'ShipmentCreated'],
  'invoice-created': [BillbeeEventType.BillPrinted, 'BillPrinted'],
  cancelled: [BillbeeEventType.OrderCanceled, 'OrderCanceled'],
};

function toBillbeeHistory(entry: HistoryEntry): BillbeeHistoryEntry {
  const [typeId, name] = HISTORY_TYPES[entry.action] ?? [BillbeeEventType.OrderModified, 'OrderModified'];
  return {
    Created: toBillbeeDate(entry.at),
    EventTypeName: name,
    Text: [entry.action, entry.detail, entry.ruleId && `(${entry.ruleId})`].filter(Boolean).join(': '),
    EmployeeName: entry.actor,
    TypeId: typeId,
  };
}

function toBillbeePayment(order: Order, payment: Payment, index: number): BillbeePayment {
  return {
    BillbeeId: billbeeIdFor('payment', `${order.id}\n${index}`),
    TransactionId: payment.reference ?? null,
    PayDate: toBillbeeDate(payment.paidAt),
    PaymentType: paymentTypeFor(payment.method),
    SourceTechnology: null,
    SourceText: payment.method,
    PayValue: payment.amount,
    Purpose: null,
    Name: payment.method,
  };
}

function user(order: Order, shopName: string, address: Address | undefined, id: string | null): BillbeeOrderUser {
  const fullName = [address?.firstName, address?.lastName].filter(Boolean).join(' ');
  return {
    Platform: order.channel,
    BillbeeShopName: shopName,
    BillbeeShopId: billbeeIdFor('connection', order.connectionId),
    Id: id,
    Nick: address?.nick ?? null,
    FirstName: address?.firstName ?? null,
    LastName: address?.lastName ?? null,
    FullName: fullName || null,
    Email: address?.email ?? null,
  };
}

/** Our order as Billbee's `Order` (all 64 fields of a real response; unset ones `null`). */
export function toBillbeeOrder(order: Order, context: BillbeeOrderContext = {}): BillbeeOrder {
  const rates = taxRatesOf(order.positions);
  const shopName = context.connectionName ?? order.channel;
  const firstShipment = order.shipments.find((s) => s.type === 'shipment');
  const paidAt = order.payments.map((p) => p.paidAt).find(Boolean);
  const invoiceNumber = order.invoiceNumber !== undefined ? Number.parseInt(order.invoiceNumber, 10) : NaN;
  const lastShipment = order.shipments[order.shipments.length - 1];
  const buyerAddress = order.buyer ?? order.invoiceAddress;
  return {
    RebateDifference: 0,
    ShippingIds: order.shipments.map(toBillbeeShipment),
    AcceptLossOfReturnRight: false,
    Id: order.externalId,
    OrderNumber: order.orderNumber ?? order.externalId,
    State: order.state,
    VatMode: 0,
    CreatedAt: toBillbeeDate(order.orderedAt),
    ShippedAt: toBillbeeDate(firstShipment?.createdAt),
    ConfirmedAt: null,
    PayedAt: toBillbeeDate(paidAt),
    SellerComment: null,
    Comments: order.comments.map((text, i) => ({
      Id: billbeeIdFor('item', `${order.id}\ncomment\n${i}`),
      FromCustomer: true,
      Text: text,
      Name: null,
      Created: toBillbeeDate(order.orderedAt),
    })),
    InvoiceNumberPrefix: null,
    InvoiceNumberPostfix: null,
    InvoiceNumber: Number.isFinite(invoiceNumber) ? invoiceNumber : null,
    InvoiceDate: null,
    InvoiceAddress: toBillbeeAddress(order.invoiceAddress ?? order.buyer, `${order.id}\ninvoice`),
    ShippingAddress: toBillbeeAddress(order.shippingAddress ?? order.invoiceAddress ?? order.buyer, `${order.id}\nshipping`),
    PaymentMethod: paymentTypeFor(order.paymentMethod ?? order.payments[0]?.method),
    ShippingCost: order.shippingCost,
    TotalCost: order.totalGross,
    AdjustmentCost: 0,
    AdjustmentReason: null,
    OrderItems: order.positions.map((p, i) => toBillbeeItem(order, p, i, rates)),
    Currency: order.currency,
    Seller: user(order, shopName, undefined, order.connectionId),
    Buyer: buyerAddress ? user(order, shopName, buyerAddress, null) : null,
    UpdatedAt: toBillbeeDate(order.updatedAt),
    TaxRate1: rates.rate1,
    TaxRate2: rates.rate2,
    BillBeeOrderId: billbeeIdFor('order', order.id),
    BillBeeParentOrderId: null,
    VatId: order.vatId ?? null,
    Tags: order.tags,
    ShipWeightKg: null,
    LanguageCode: null,
    PaidAmount: round2(order.payments.reduce((sum, p) => sum + p.amount, 0)),
    ShippingProfileId: order.shippingProfileId ?? null,
    ShippingProviderId: null,
    ShippingProviderProductId: null,
    ShippingProviderName: lastShipment?.carrier ?? null,
    ShippingProviderProductName: null,
    ShippingProfileName: lastShipment?.shippingProfile ?? null,
    PaymentInstruction: null,
    IsCancelationFor: null,
    PaymentTransactionId: order.payments[0]?.reference ?? null,
    DistributionCenter: null,
    DeliverySourceCountryCode: order.deliverySourceCountryCode ?? null,
    CustomInvoiceNote: null,
    CustomerNumber: null,
    PaymentReference: order.payments[0]?.reference ?? null,
    ShippingServices: null,
    Customer: null,
    History: (order.history ?? []).map(toBillbeeHistory),
    Payments: order.payments.map((p, i) => toBillbeePayment(order, p, i)),
    LastModifiedAt: toBillbeeDate(order.updatedAt),
    ArchivedAt: order.state === 9 ? toBillbeeDate(order.updatedAt) : null,
    RestoredAt: null,
    ApiAccountId: billbeeIdFor('connection', order.connectionId),
    ApiAccountName: shopName,
    MerchantVatId: null,
    CustomerVatId: null,
    IsFromBillbeeApi: false,
  };
}
