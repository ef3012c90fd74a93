/**
 * Which order contents (by `orderContentHash`, HUB-2's "identical import") each connection handed in
 * lately. Every run reads its overlap again (`OTTO_OVERLAP_SECONDS`); without this memory every poll
 * would hand each order in again for as long as it stays in the overlap: a JetStream publish each,
 * which the stream then drops as a duplicate. An order handed in has its JetStream ack, so not
 * handing the same content in again loses nothing. The memory is this replica's: after a restart or
 * a lease moving, the overlap is handed in once more.
 */
export class HandedInOrders {
  private readonly byConnection = new Map<string, Map<string, { hash: string; until: number }>>();

  isNew(connectionId: string, salesOrderId: string, hash: string): boolean {
    return this.byConnection.get(connectionId)?.get(salesOrderId)?.hash !== hash;
  }

  /** `lastModifiedDate`: OTTO's change date, the field runs filter on; without one, now. */
  remember(connectionId: string, salesOrderId: string, hash: string, lastModifiedDate: string | undefined): void {
    let orders = this.byConnection.get(connectionId);
    if (!orders) this.byConnection.set(connectionId, (orders = new Map()));
    const changedAt = lastModifiedDate === undefined ? NaN : Date.parse(lastModifiedDate);
    orders.set(salesOrderId, { hash, until: Number.isNaN(changedAt) ? Date.now() : changedAt });
  }

  /** Orders changed before the next run's `fromDate` are not read by it again. */
  forgetBefore(connectionId: string, fromDate: string): void {
    const orders = this.byConnection.get(connectionId);
    if (!orders) return;
    const bound = Date.parse(fromDate);
    for (const [salesOrderId, { until }] of orders) {
      if (until < bound) orders.delete(salesOrderId);
    }
  }
}
