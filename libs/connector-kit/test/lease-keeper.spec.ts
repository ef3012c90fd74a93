import { connect } from '@nats-io/transport-node';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import { isolate } from '@orderhub/testkit';
import { CheckpointStore, LeaseKeeper, preferredReplica } from '../src';

describe('connector leases and checkpoints in NATS KV', () => {
  const iso = isolate('lease');
  let nc: NatsConnection;
  let kv: KV;
  let clock = 1_000_000;
  const now = () => clock;

  beforeAll(async () => {
    nc = await connect({ servers: iso.natsUrl });
    kv = await new Kvm(nc).create(`${iso.natsPrefix}_leases`, { history: 1 });
  });
  afterAll(() => nc.close());

  it('gives a connection to one replica at a time and hands it over when the holder stops renewing', async () => {
    const a = new LeaseKeeper(kv, 'replica-a', 10_000, now);
    const b = new LeaseKeeper(kv, 'replica-b', 10_000, now);
    const results = await Promise.all([a.acquire('conn-1'), b.acquire('conn-1')]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const [holder, other] = results[0] ? [a, b] : [b, a];
    expect(await holder.acquire('conn-1')).toBe(true); // renew
    expect(await other.acquire('conn-1')).toBe(false);
    clock += 10_001; // holder died: no renewal within the TTL
    expect(await other.acquire('conn-1')).toBe(true);
    expect(await holder.holds('conn-1')).toBe(false);
  });

  it('releases a lease so another replica can take it at once', async () => {
    const a = new LeaseKeeper(kv, 'replica-a', 10_000, now);
    const b = new LeaseKeeper(kv, 'replica-b', 10_000, now);
    expect(await a.acquire('conn-2')).toBe(true);
    await a.release('conn-2');
    expect(await b.acquire('conn-2')).toBe(true);
  });

  it('lists live replicas from KV at most every ttl/6, and forgets one whose heartbeat ran out', async () => {
    const owner = `watcher-${clock}`;
    const watcher = new LeaseKeeper(kv, owner, 12_000, now);
    await watcher.heartbeat();
    expect(await watcher.liveReplicas()).toContain(owner);
    const joiner = new LeaseKeeper(kv, `joiner-${clock}`, 12_000, now);
    await joiner.heartbeat();
    expect(await watcher.liveReplicas()).not.toContain(joiner.owner); // still the list read 0 s ago
    clock += 2_001;
    expect(await watcher.liveReplicas()).toContain(joiner.owner);
    clock += 12_000; // neither renewed its heartbeat
    await watcher.heartbeat();
    const live = await watcher.liveReplicas();
    expect(live).toContain(owner);
    expect(live).not.toContain(joiner.owner);
  });

  it('spreads connections over live replicas and moves some when a replica joins', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `conn-${i}`);
    const two = ids.map((id) => preferredReplica(id, ['a', 'b']));
    expect(two.filter((r) => r === 'a').length).toBeGreaterThan(60);
    const three = ids.map((id) => preferredReplica(id, ['a', 'b', 'c']));
    const moved = ids.filter((_, i) => two[i] !== three[i]);
    expect(moved.length).toBeGreaterThan(30);
    expect(moved.every((_, i) => three[ids.indexOf(moved[i]!)] === 'c')).toBe(true);
  });

  it('keeps a checkpoint per connection across restarts of the store', async () => {
    await new CheckpointStore<{ cursor: string }>(kv).put('conn-9', { cursor: 'abc' });
    expect(await new CheckpointStore<{ cursor: string }>(kv).get('conn-9')).toEqual({ cursor: 'abc' });
    expect(await new CheckpointStore(kv).get('unknown')).toBeUndefined();
  });
});
