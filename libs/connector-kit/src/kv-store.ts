import { Kvm, type KV } from '@nats-io/kv';
import type { NatsClient, SecretBox } from '@orderhub/platform';

/** Opens (or creates) a connector's KV bucket: its small state lives in NATS, not in the orders database. */
export async function openConnectorBucket(nats: NatsClient, connectorType: string): Promise<KV> {
  const kvm = new Kvm(nats.nc);
  return kvm.create(nats.names.bucket(`connector_${connectorType}`), { history: 1 });
}

const encode = (value: unknown) => JSON.stringify(value);

/** Checkpoints (cursor, last seen modification time) per connection: a restart resumes, never starts over. */
export class CheckpointStore<T> {
  constructor(private readonly kv: KV) {}

  async get(connectionId: string): Promise<T | undefined> {
    const entry = await this.kv.get(`checkpoint.${connectionId}`);
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return undefined;
    return entry.json<T>();
  }

  async put(connectionId: string, checkpoint: T): Promise<void> {
    await this.kv.put(`checkpoint.${connectionId}`, encode(checkpoint));
  }
}

/**
 * Short-lived secrets shared by replicas, e.g. an access token per connection: sealed with the
 * connector's SecretBox like every other credential, so NATS KV never holds them in clear text.
 */
export class SharedCache<T> {
  constructor(
    private readonly kv: KV,
    private readonly namespace: string,
    private readonly box: SecretBox,
  ) {}

  async get(key: string): Promise<T | undefined> {
    const entry = await this.kv.get(`${this.namespace}.${key}`);
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return undefined;
    try {
      const value = this.box.decrypt<{ value: T; expiresAt: number }>(entry.json<{ sealed: string }>().sealed);
      return value.expiresAt > Date.now() ? value.value : undefined;
    } catch {
      return undefined; // written by an older version or with a retired key: fetch a new one
    }
  }

  async put(key: string, value: T, ttlMs: number): Promise<void> {
    await this.kv.put(`${this.namespace}.${key}`, encode({ sealed: this.box.encrypt({ value, expiresAt: Date.now() + ttlMs }) }));
  }
}
