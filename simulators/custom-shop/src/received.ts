/** What the hub pushed to a shop, kept so tests can assert what arrived, with what, and how often. */
export interface AckRecord {
  orderId: string;
  receivedAt: string;
}

export interface StateChangeRecord {
  orderId: string;
  newStateTypeId: number;
  newStateName: string | null;
  /** Obsolete field, still sent by some clients (Postman collection). */
  newStateId: string | null;
  comment: string | null;
  shippingCarrier: string | null;
  trackingCode: string | null;
  trackingUrl: string | null;
  receivedAt: string;
}

export interface StockUpdateRecord {
  productId: string;
  availableStock: number;
  /** Exactly as sent, e.g. "5.5" or "0". */
  rawAvailableStock: string;
  receivedAt: string;
}

export class ReceivedLog {
  acks: AckRecord[] = [];
  stateChanges: StateChangeRecord[] = [];
  stockUpdates: StockUpdateRecord[] = [];

  clear(): void {
    this.acks = [];
    this.stateChanges = [];
    this.stockUpdates = [];
  }

  snapshot(): { acks: AckRecord[]; stateChanges: StateChangeRecord[]; stockUpdates: StockUpdateRecord[] } {
    return { acks: [...this.acks], stateChanges: [...this.stateChanges], stockUpdates: [...this.stockUpdates] };
  }
}
