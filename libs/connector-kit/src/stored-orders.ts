import { type Order, Rpc } from '@orderhub/contracts';
import type { RpcClient } from '@orderhub/platform';

interface ConnectionRef {
  id: string;
  accountId: string;
}

/**
 * What the orders service has stored of a connection's channel orders. A connector hands orders in
 * through JetStream and learns here when they are persisted (before it acknowledges them to the
 * channel, or answers a retry with the hub's order id).
 */
export class StoredOrders {
  constructor(
    private readonly rpc: RpcClient,
    private readonly actor: string,
  ) {}

  async find(c: ConnectionRef, externalId: string): Promise<Order | undefined> {
    const order = await this.rpc.call<Order | null>(Rpc.ordersFindByExternalId, {
      accountId: c.accountId,
      actor: this.actor,
      body: { connectionId: c.id, externalId },
    });
    return order ?? undefined;
  }

  /** Which of the channel ids the orders service has stored, asked until `waitMs` passed (a few at a time). */
  async awaitStored(c: ConnectionRef, externalIds: string[], waitMs: number): Promise<Set<string>> {
    const found = new Set<string>();
    if (externalIds.length === 0) return found;
    const deadline = Date.now() + waitMs;
    let waiting = [...externalIds];
    // Give the orders service a head start, then ask: the reads compete with its writes.
    await sleep(Math.min(200, waitMs));
    for (;;) {
      for (let i = 0; i < waiting.length; i += IDS_PER_ASK)
        for (const id of await this.stored(c, waiting.slice(i, i + IDS_PER_ASK))) found.add(id);
      waiting = waiting.filter((id) => !found.has(id));
      if (waiting.length === 0 || Date.now() >= deadline) return found;
      await sleep(Math.min(400, Math.max(0, deadline - Date.now())));
    }
  }

  /**
   * Ids only, one request for many: asking per order, answered with the whole order, cost the orders
   * service a read and a reply per order.
   */
  private async stored(c: ConnectionRef, externalIds: string[]): Promise<string[]> {
    try {
      const reply = await this.rpc.call<{ externalIds: string[] }>(Rpc.ordersStoredExternalIds, {
        accountId: c.accountId,
        actor: this.actor,
        body: { connectionId: c.id, externalIds },
      });
      return reply.externalIds;
    } catch {
      return []; // asked again on the next round
    }
  }
}

const IDS_PER_ASK = 500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
