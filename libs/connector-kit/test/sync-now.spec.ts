import { Kvm } from '@nats-io/kv';
import { createLogger, type NatsClient } from '@orderhub/platform';
import { HubClient, isolate, waitFor } from '@orderhub/testkit';
import { type ConnectionRegistry, SyncNow } from '../src';

describe('sync now across replicas (NATS KV)', () => {
  const iso = isolate('syncnow');
  let nats: NatsClient;
  const replicas: SyncNow[] = [];

  beforeAll(async () => {
    nats = await HubClient.natsFor(iso, 'sync-now-test');
  });
  afterAll(async () => {
    for (const r of replicas) r.stop();
    await nats.drain();
  });

  async function replica(): Promise<string[]> {
    const kv = await new Kvm(nats.nc).create(nats.names.bucket('connector_synctest'), { history: 1 });
    const registry = { type: 'otto' } as ConnectionRegistry;
    const syncNow = new SyncNow(nats, kv, registry, 'channel-synctest', createLogger('sync-now', 'silent'));
    const heard: string[] = [];
    syncNow.onRequest((connectionId) => heard.push(connectionId));
    await syncNow.start();
    replicas.push(syncNow);
    return heard;
  }

  it('tells every replica once per request, the requesting one too (its own echo from the watch is skipped)', async () => {
    const [heardByA, heardByB] = [await replica(), await replica()];
    const [a, b] = replicas;
    await a!.request('conn-1'); // a and b: the two replica() calls above
    expect(heardByA).toEqual(['conn-1']); // at once, before the KV round trip
    await waitFor(() => heardByB.length === 1, { what: 'replica B hears conn-1' });
    // The watch delivers in order: once A hears B's later request, A's echo of its own has passed.
    await b!.request('conn-2');
    await waitFor(() => heardByA.length >= 2, { what: 'replica A hears conn-2' });
    expect(heardByA).toEqual(['conn-1', 'conn-2']);
    await waitFor(() => heardByB.length >= 2, { what: 'replica B hears its own conn-2' });
    expect(heardByB).toEqual(['conn-1', 'conn-2']);
  });
});
