import type { KV } from '@nats-io/kv';
import type { ParkedChannelOrder } from '@orderhub/contracts';

/** A connector's mapper cannot read a channel order (no items, no order date): the reason is shown to the merchant. */
export class UnreadableOrderError extends Error {
  constructor(
    readonly reason: string,
    message = reason,
  ) {
    super(message);
    this.name = 'UnreadableOrderError';
  }
}

/** What the connector knows about an order it cannot read: who owns it and why it failed. */
export interface ParkInput {
  accountId: string;
  connectionId: string;
  externalId: string;
  orderNumber?: string;
  reason: string;
}

interface StoredParkedOrder extends ParkedChannelOrder {
  accountId: string;
}

/** KV keys allow only a few characters: the channel's id is encoded, the connection id is ours. */
const keyOf = (connectionId: string, externalId: string) =>
  `parked.${connectionId}.${Buffer.from(externalId, 'utf8').toString('base64url') || '_'}`;

/**
 * Channel orders a connector could not read, in its KV bucket (issue 15): a poll parks them with the
 * reason instead of skipping them, so they stay visible and retryable after the checkpoint moved on;
 * a later successful import (poll or retry) removes them.
 */
export class ParkedOrders {
  constructor(private readonly kv: KV) {}

  async park(input: ParkInput, now = new Date()): Promise<ParkedChannelOrder> {
    const key = keyOf(input.connectionId, input.externalId);
    const previous = await this.read(key);
    const stored: StoredParkedOrder = {
      accountId: input.accountId,
      connectionId: input.connectionId,
      externalId: input.externalId,
      ...(input.orderNumber ? { orderNumber: input.orderNumber } : {}),
      reason: input.reason.slice(0, 1000),
      parkedAt: previous?.parkedAt ?? now.toISOString(),
      lastSeenAt: now.toISOString(),
      attempts: (previous?.attempts ?? 0) + 1,
    };
    await this.kv.put(key, JSON.stringify(stored));
    return view(stored);
  }

  /** The connection's parked orders, oldest first; only those of `accountId` (another tenant sees none). */
  async list(accountId: string, connectionId: string): Promise<ParkedChannelOrder[]> {
    const keys: string[] = [];
    for await (const key of await this.kv.keys(`parked.${connectionId}.*`)) keys.push(key);
    const found = await Promise.all(keys.map((k) => this.read(k)));
    return found
      .filter((p): p is StoredParkedOrder => p !== undefined && p.accountId === accountId)
      .sort((a, b) => a.parkedAt.localeCompare(b.parkedAt))
      .map(view);
  }

  /** The channel ids parked for a connection (one key listing, no reads): a poll releases only these. */
  async externalIds(connectionId: string): Promise<Set<string>> {
    const ids = new Set<string>();
    const prefix = `parked.${connectionId}.`;
    for await (const key of await this.kv.keys(`${prefix}*`)) ids.add(Buffer.from(key.slice(prefix.length), 'base64url').toString('utf8'));
    return ids;
  }

  async get(accountId: string, connectionId: string, externalId: string): Promise<ParkedChannelOrder | undefined> {
    const stored = await this.read(keyOf(connectionId, externalId));
    return stored && stored.accountId === accountId ? view(stored) : undefined;
  }

  /** The order was imported: it is no longer parked (no-op when it never was). */
  async release(connectionId: string, externalId: string): Promise<void> {
    const key = keyOf(connectionId, externalId);
    if (await this.read(key)) await this.kv.delete(key);
  }

  private async read(key: string): Promise<StoredParkedOrder | undefined> {
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return undefined;
    return entry.json<StoredParkedOrder>();
  }
}

function view({ accountId: _account, ...parked }: StoredParkedOrder): ParkedChannelOrder {
  return parked;
}
