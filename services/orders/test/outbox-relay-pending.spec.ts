import { mongo } from 'mongoose';
import pino from 'pino';
import { Registry } from 'prom-client';
import {
  type EventPublisher,
  type RevisionCheck,
  RevisionGuard,
  type UnpublishableEvents,
  type WorkMarkerDoc,
  WorkMarkers,
} from '@orderhub/platform';
import { TestDatabase, waitFor } from '@orderhub/testkit';
import type { OutboxCollection, OutboxEntry, OutboxMarkers } from '../src/infrastructure/outbox';
import { OrdersMetrics } from '../src/infrastructure/orders-metrics';
import { OutboxRelay } from '../src/infrastructure/outbox-relay';

/**
 * Where the relay finds documents with pending events: by the documents' indexed `outboxDirty` flag
 * on MongoDB (no markers), by the markers on FerretDB. Both run here on the test server, the MongoDB
 * way chosen by hand (FerretDB answers the flag query too, only by scanning); events go to a recorder.
 */
describe('OutboxRelay: documents with pending events', () => {
  const database = new TestDatabase('ordrelaypending');
  let db: mongo.Db;

  beforeAll(async () => {
    db = await database.open();
  });
  afterAll(() => database.close());

  const entry = (eventId: string): OutboxEntry => ({
    eventId,
    subject: 'order.imported',
    payload: JSON.stringify({ eventId }),
    createdAt: new Date(),
  });
  const doc = (id: string, events: string[]) => ({
    _id: id,
    accountId: 'acc',
    outbox: events.map(entry),
    outboxDirty: events.length > 0,
    rev: 0,
  });

  function relayOn(check: RevisionCheck) {
    const documents = db.collection(`orders_${check}`) as unknown as OutboxCollection;
    const markerDocs = db.collection<WorkMarkerDoc>(`markers_${check}`);
    const markers: OutboxMarkers = new WorkMarkers(markerDocs, { work: 'aggregate', doc: 'docId' }, check, { owner: 'me' });
    const published: string[] = [];
    const publisher = { publish: async (_subject: string, envelope: { eventId: string }) => void published.push(envelope.eventId) };
    const registry = new Registry();
    const relay = new OutboxRelay(
      documents,
      publisher as unknown as EventPublisher,
      {} as UnpublishableEvents,
      new RevisionGuard(db.collection('write_claims') as never, `orders_${check}`, check),
      markers,
      new OrdersMetrics(registry),
      pino({ level: 'silent' }),
      { aggregate: 'order', owner: 'me', pollMs: 60_000, takeoverMs: 60_000, sweepMs: 60_000 },
    );
    const backlog = async () => (await registry.getSingleMetric('orderhub_outbox_pending_documents')!.get()).values[0]?.value;
    return { documents, markerDocs, markers, published, relay, backlog };
  }

  it('on MongoDB finds and counts the dirty documents by their flag and writes no markers', async () => {
    const { documents, markerDocs, markers, published, relay, backlog } = relayOn('conditional');
    await documents.insertMany([doc('a', ['a1', 'a2']), doc('b', []), doc('c', ['c1'])]);
    await markers.mark('a', 'order');
    expect(await backlog()).toBe(2);
    relay.nudge();
    await waitFor(async () => (await documents.countDocuments({ outboxDirty: true })) === 0, { what: 'the dirty documents cleared' });
    await relay.stop();
    expect(published.sort()).toEqual(['a1', 'a2', 'c1']);
    expect(await markerDocs.countDocuments({})).toBe(0);
  });

  it('on FerretDB relays the marked documents and clears their markers; an unmarked one waits for the sweep', async () => {
    const { documents, markerDocs, markers, published, relay, backlog } = relayOn('claims');
    await documents.insertMany([doc('a', ['a1']), doc('c', ['c1'])]);
    await markers.mark('a', 'order');
    expect(await backlog()).toBe(1);
    relay.nudge();
    await waitFor(async () => (await documents.findOne({ _id: 'a' }))?.outboxDirty === false, { what: 'the marked document cleared' });
    await relay.stop();
    expect(published).toEqual(['a1']);
    expect(await markerDocs.countDocuments({})).toBe(0);
  });
});
