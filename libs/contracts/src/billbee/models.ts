/**
 * Billbee REST API v1 wire models, with Billbee's exact property names (`BillBeeOrderId`, `PayedAt`,
 * `CountryISO2`, …). Every property is always present; unset values are `null` (reference §1, §5).
 */

export interface BillbeeAddress {
  BillbeeId: number | null;
  FirstName: string | null;
  LastName: string | null;
  Company: string | null;
  NameAddition: string | null;
  Street: string | null;
  HouseNumber: string | null;
  Zip: string | null;
  City: string | null;
  CountryISO2: string | null;
  Country: string | null;
  Line2: string | null;
  Email: string | null;
  State: string | null;
  Phone: string | null;
}

export interface BillbeeShipment {
  BillbeeId: number;
  ShippingId: string;
  Shipper: string;
  Created: string | null;
  TrackingUrl: string | null;
  ShippingProviderId: number | null;
  ShippingProviderProductId: number | null;
  ShippingCarrier: number;
  ShipmentType: number;
}

export interface BillbeeSoldProduct {
  OldId: string | null;
  Id: string | null;
  Title: string;
  Weight: number | null;
  SKU: string | null;
  SkuOrId: string | null;
  IsDigital: boolean;
  Images: { Url: string; IsDefaultImage: boolean; Position: number; ExternalId: string | null }[];
  EAN: string | null;
  PlatformData: string | null;
  TARICCode: string | null;
  CountryOfOrigin: string | null;
  BillbeeId: number | null;
  Type: number;
}

export interface BillbeeOrderItem {
  BillbeeId: number;
  TransactionId: string | null;
  Product: BillbeeSoldProduct;
  Quantity: number;
  TotalPrice: number;
  TaxAmount: number;
  TaxIndex: number;
  Discount: number;
  Attributes: { Id: string; Name: string; Value: string; Price: number }[];
  GetPriceFromArticleIfAny: boolean;
  IsCoupon: boolean;
  ShippingProfileId: string | null;
  DontAdjustStock: boolean;
  UnrebatedTotalPrice: number;
  SerialNumber: string | null;
  InvoiceSKU: string | null;
}

export interface BillbeeOrderUser {
  Platform: string | null;
  BillbeeShopName: string | null;
  BillbeeShopId: number | null;
  Id: string | null;
  Nick: string | null;
  FirstName: string | null;
  LastName: string | null;
  FullName: string | null;
  Email: string | null;
}

export interface BillbeeComment {
  Id: number;
  FromCustomer: boolean;
  Text: string;
  Name: string | null;
  Created: string | null;
}

export interface BillbeeHistoryEntry {
  Created: string | null;
  EventTypeName: string;
  Text: string | null;
  EmployeeName: string | null;
  TypeId: number;
}

export interface BillbeePayment {
  BillbeeId: number;
  TransactionId: string | null;
  PayDate: string | null;
  PaymentType: number;
  SourceTechnology: string | null;
  SourceText: string | null;
  PayValue: number;
  Purpose: string | null;
  Name: string | null;
}

export interface BillbeeCustomer {
  Id: number | null;
  Name: string | null;
  Email: string | null;
  Tel1: string | null;
  Tel2: string | null;
  Number: number | null;
  PriceGroupId: number | null;
  LanguageId: number | null;
  DefaultMailAddress: null;
  DefaultCommercialMailAddress: null;
  DefaultStatusUpdatesMailAddress: null;
  DefaultPhone1: null;
  DefaultPhone2: null;
  DefaultFax: null;
  VatId: string | null;
  Type: number;
  MetaData: [];
  ArchivedAt: string | null;
  RestoredAt: string | null;
}

/** `Billbee.Interfaces.BillbeeAPI.Model.Order`, fields in the order of a real response body. */
export interface BillbeeOrder {
  RebateDifference: number;
  ShippingIds: BillbeeShipment[];
  AcceptLossOfReturnRight: boolean;
  Id: string;
  OrderNumber: string;
  State: number;
  VatMode: number;
  CreatedAt: string | null;
  ShippedAt: string | null;
  ConfirmedAt: string | null;
  PayedAt: string | null;
  SellerComment: string | null;
  Comments: BillbeeComment[];
  InvoiceNumberPrefix: string | null;
  InvoiceNumberPostfix: string | null;
  InvoiceNumber: number | null;
  InvoiceDate: string | null;
  InvoiceAddress: BillbeeAddress;
  ShippingAddress: BillbeeAddress;
  PaymentMethod: number;
  ShippingCost: number;
  TotalCost: number;
  AdjustmentCost: number;
  AdjustmentReason: string | null;
  OrderItems: BillbeeOrderItem[];
  Currency: string;
  Seller: BillbeeOrderUser;
  Buyer: BillbeeOrderUser | null;
  UpdatedAt: string | null;
  TaxRate1: number;
  TaxRate2: number;
  BillBeeOrderId: number;
  BillBeeParentOrderId: number | null;
  VatId: string | null;
  Tags: string[];
  ShipWeightKg: number | null;
  LanguageCode: string | null;
  PaidAmount: number;
  ShippingProfileId: string | null;
  ShippingProviderId: number | null;
  ShippingProviderProductId: number | null;
  ShippingProviderName: string | null;
  ShippingProviderProductName: string | null;
  ShippingProfileName: string | null;
  PaymentInstruction: string | null;
  IsCancelationFor: string | null;
  PaymentTransactionId: string | null;
  DistributionCenter: string | null;
  DeliverySourceCountryCode: string | null;
  CustomInvoiceNote: string | null;
  CustomerNumber: string | null;
  PaymentReference: string | null;
  ShippingServices: null;
  Customer: BillbeeCustomer | null;
  History: BillbeeHistoryEntry[];
  Payments: BillbeePayment[];
  LastModifiedAt: string | null;
  ArchivedAt: string | null;
  RestoredAt: string | null;
  ApiAccountId: number | null;
  ApiAccountName: string | null;
  MerchantVatId: string | null;
  CustomerVatId: string | null;
  IsFromBillbeeApi: boolean;
}

/** `GET /shopaccounts` entry. */
export interface BillbeeShopAccount {
  Id: number;
  AccountType: string;
  Name: string;
  LastSyncDate: string | null;
  LastSyncState: string | null;
}
