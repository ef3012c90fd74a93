/** Shapes of wemalo-connect requests and answers this connector uses (see the research notes §1.4). */

export interface WemaloProductInput {
  externalId: string;
  sku: string;
  productGroup: string;
  name: string;
  ean?: string;
  salesPrice?: number;
  depth?: number;
  width?: number;
  height?: number;
  grossWeight?: number;
  isActive?: boolean;
}

export interface WemaloReceiver {
  primary: boolean;
  name1: string;
  name2?: string;
  street?: string;
  streetNumber?: string;
  addressAddition?: string;
  zip?: string;
  city?: string;
  countryCode2Letter?: string;
  stateProvinceCountry?: string;
  phoneNumber?: string;
  email?: string;
}

export interface WemaloGoodsOrderInput {
  meta: {
    externalId: string;
    orderNumber: string;
    currency: string;
    total: number;
    dispatcherProfile?: string;
    priority: number;
    receiver: WemaloReceiver[];
  };
  positions: { externalId: string; quantity: number; externalPositionIdentifier?: string; total?: number; tax?: number }[];
}

export interface WemaloStatus {
  statusId: string;
  statusName: string;
  reasonPartiallyReserved?: string;
  blockReason?: string;
  id: number;
  orderNumber?: string;
}

export interface WemaloPackage {
  id: number;
  trackingNumber: string;
  profileName: string;
  carrier?: string;
  returnTrackingNumber?: string;
  isHandedOver: boolean;
}

export interface WemaloSentBooking {
  historyId: number;
  packageId?: number;
  externalGoodsOrderId: string;
  goodsOrderId: number;
  trackingNumber: string;
  dispatcherName: string;
  profileName?: string;
  orderStatusId?: number;
}

export interface WemaloDispatcher {
  name: string;
  profiles: { matchId: string; name?: string }[];
}

/** Before a picking list exists wemalo still takes changes and cancellations (WEM-5). */
export const CHANGEABLE_STATUSES = ['PARTIAL', 'OPEN'];
export const isChangeable = (statusName: string) => CHANGEABLE_STATUSES.includes(statusName);
