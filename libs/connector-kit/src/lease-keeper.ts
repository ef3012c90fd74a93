import type { KV } from '@nats-io/kv';

interface LeaseValue {
  owner: string;
  expiresAt: number;
}

/**
 * Leases in NATS KV with compare-and-set on the entry revision: at most one replica holds a
 * connection at a time; a replica that dies stops renewing and another takes over after the TTL.
 * Replicas also heartbeat, so each can compute its fair share and release the rest (rebalancing
 * when the replica count changes).
 */
export class LeaseKeeper {
  private replicas?: { list: string[]; readAt: number };

  constructor(
    private readonly kv: KV,
    readonly owner: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes or renews the lease; false if another live replica holds it. */
  async acquire(resource: string): Promise<boolean> {
    const key = `lease.${resource}`;
    const value = JSON.stringify({ owner: this.owner, expiresAt: this.now() + this.ttlMs } satisfies LeaseValue);
    const entry = await this.kv.get(key);
    try {
      if (!entry || entry.operation !== 'PUT' || entry.length === 0) {
        if (entry) await this.kv.update(key, value, entry.revision);
        else await this.kv.create(key, value);
        return true;
      }
      const current = entry.json<LeaseValue>();
      if (current.owner !== this.owner && current.expiresAt > this.now()) return false;
      await this.kv.update(key, value, entry.revision);
      return true;
    } catch {
      // Lost a compare-and-set race: another replica wrote first.
      return false;
    }
  }

  async holds(resource: string): Promise<boolean> {
    const entry = await this.kv.get(`lease.${resource}`);
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return false;
    const current = entry.json<LeaseValue>();
    return current.owner === this.owner && current.expiresAt > this.now();
  }

  async release(resource: string): Promise<void> {
    const key = `lease.${resource}`;
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return;
    if (entry.json<LeaseValue>().owner !== this.owner) return;
    await this.kv.delete(key, { previousSeq: entry.revision }).catch(() => undefined);
  }

  async heartbeat(): Promise<void> {
    await this.kv.put(`replica.${this.owner}`, JSON.stringify({ owner: this.owner, expiresAt: this.now() + this.ttlMs }));
  }

  /**
   * Read at most every ttl/6 (5 s with the default TTL): listing the keys creates a consumer on the KV
   * stream, which every replica would otherwise do on every scheduler tick. A replica that joins or
   * leaves is seen a few seconds later; leases keep polling exclusive meanwhile.
   */
  async liveReplicas(): Promise<string[]> {
    if (this.replicas && this.now() - this.replicas.readAt < this.ttlMs / 6) return [...this.replicas.list];
    const list = await this.readReplicas();
    this.replicas = { list, readAt: this.now() };
    return [...list];
  }

  private async readReplicas(): Promise<string[]> {
    const live: string[] = [];
    const keys = await this.kv.keys('replica.*');
    for await (const key of keys) {
      const entry = await this.kv.get(key);
      if (!entry || entry.operation !== 'PUT' || entry.length === 0) continue;
      const value = entry.json<LeaseValue>();
      if (value.expiresAt > this.now()) live.push(value.owner);
    }
    return live;
  }

  async retire(): Promise<void> {
    await this.kv.delete(`replica.${this.owner}`).catch(() => undefined);
  }
}
