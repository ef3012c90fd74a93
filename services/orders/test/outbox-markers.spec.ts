import { mongo } from 'mongoose';
import { TestDatabase } from '@orderhub/testkit';
import { OutboxMarkers, type OutboxMarkerDoc } from '../src/infrastructure/outbox-markers';

/**
 * Where the relay finds documents with pending events: by the documents' indexed `outboxDirty` flag
 * on MongoDB (no marker writes), by marker documents on FerretDB. Both run here on the test server,
 * the MongoDB way chosen by hand (FerretDB answers the flag query too, only by scanning).
 */
describe('OutboxMarkers', () => {
  const database = new TestDatabase('ordmarkers');
  let db: mongo.Db;

  beforeAll(async () => {
    db = await database.open();
  });
  afterAll(() => database.close());

  it('on MongoDB finds and counts the dirty documents by their flag and writes no markers', async () => {
    const documents = db.collection<{ _id: string; outboxDirty: boolean }>('orders_by_index');
    const markerDocs = db.collection<OutboxMarkerDoc>('markers_by_index');
    await documents.insertMany([
      { _id: 'a', outboxDirty: true },
      { _id: 'b', outboxDirty: false },
      { _id: 'c', outboxDirty: true },
    ]);
    const markers = new OutboxMarkers(markerDocs, 'order', 'me', { documents, check: Promise.resolve('conditional') });
    await markers.mark('a');
    await markers.mark('c');
    expect(await markerDocs.countDocuments({})).toBe(0);
    expect((await markers.pending(10)).map((m) => m.docId).sort()).toEqual(['a', 'c']);
    expect(await markers.count()).toBe(2);
    await markers.clear('a');
    expect(await markers.count()).toBe(2); // the flag is the truth: only the guarded clear of the entries resets it
  });

  it('on FerretDB keeps marker documents', async () => {
    const documents = db.collection<{ _id: string; outboxDirty: boolean }>('orders_by_marker');
    const markerDocs = db.collection<OutboxMarkerDoc>('markers_by_marker');
    const markers = new OutboxMarkers(markerDocs, 'order', 'me', { documents, check: Promise.resolve('claims') });
    await markers.mark('a');
    await markers.mark('a');
    await markers.mark('c');
    expect((await markers.pending(10)).map((m) => m.docId).sort()).toEqual(['a', 'c']);
    await markers.clear('a');
    expect((await markers.pending(10)).map((m) => m.docId)).toEqual(['c']);
  });
});
