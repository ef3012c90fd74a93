import { mongo } from 'mongoose';
import { TestDatabase } from '@orderhub/testkit';
import { type RevisionCheck, type WorkMarkerDoc, WorkMarkers } from '../src';

/**
 * Which documents wait for work, on the real database server in both modes: the MongoDB way
 * (`conditional`, chosen by hand here: the owner searches its documents' index, nothing is marked)
 * and the FerretDB way (`claims`: a marker per document and work).
 */
describe('WorkMarkers', () => {
  const database = new TestDatabase('workmarkers');
  let db: mongo.Db;

  beforeAll(async () => {
    db = await database.open();
  });
  afterAll(() => database.close());

  const markersWith = (name: string, check: RevisionCheck) => {
    const collection = db.collection<WorkMarkerDoc>(name);
    return { collection, markers: new WorkMarkers(collection, { work: 'work', doc: 'mailId' }, check) };
  };

  it('on MongoDB writes and removes no markers: the documents are searched by their index', async () => {
    const { collection, markers } = markersWith('markers_by_index', 'conditional');
    expect(await markers.byIndex()).toBe(true);
    await markers.mark('a', ['parse', 'forward']);
    await markers.done('a', 'parse');
    expect(await collection.countDocuments({})).toBe(0);
  });

  it('on FerretDB keeps one marker per document and work, in the stored shape, each written once', async () => {
    const { collection, markers } = markersWith('markers_by_marker', 'claims');
    expect(await markers.byIndex()).toBe(false);
    const receivedAt = new Date('2026-12-01T10:00:00Z');
    await markers.mark('m1', ['parse', 'forward'], receivedAt);
    await markers.mark('m1', ['parse'], new Date());
    expect(await collection.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 'forward:m1', work: 'forward', mailId: 'm1', at: receivedAt },
      { _id: 'parse:m1', work: 'parse', mailId: 'm1', at: receivedAt },
    ]);
    await markers.done('m1', 'parse');
    expect(await markers.marked('parse')).toEqual([]);
    expect(await markers.marked('forward')).toEqual([{ docId: 'm1', at: receivedAt }]);
  });

  it('on FerretDB lists a work oldest first or up to a limit, and counts it', async () => {
    const { markers } = markersWith('markers_listed', 'claims');
    const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute));
    await markers.mark('late', 'parse', at(3));
    await markers.mark('early', 'parse', at(1));
    await markers.mark('middle', 'parse', at(2));
    await markers.mark('other', 'forward', at(0));
    expect((await markers.marked('parse', { oldestFirst: true })).map((m) => m.docId)).toEqual(['early', 'middle', 'late']);
    expect(await markers.marked('parse', { limit: 2 })).toHaveLength(2);
    expect(await markers.count('parse')).toBe(3);
    expect(await markers.count('forward')).toBe(1);
  });

  it("on FerretDB stamps its writer's fields into each marker and reads them back, also from markers stored before the port", async () => {
    const collection = db.collection<WorkMarkerDoc>('outbox_markers');
    const fields = { work: 'aggregate', doc: 'docId' };
    const mine = new WorkMarkers(collection, fields, 'claims', { owner: 'me' });
    await mine.mark('o1', 'order');
    const stored = new Date('2026-12-01T09:00:00Z');
    await collection.insertOne({ _id: 'order:o2', aggregate: 'order', docId: 'o2', owner: 'gone', at: stored });
    expect(await collection.findOne({ _id: 'order:o1' })).toMatchObject({ aggregate: 'order', docId: 'o1', owner: 'me' });
    const found = await new WorkMarkers<{ owner: string }>(collection, fields, 'claims').marked('order');
    expect(found.sort((a, b) => a.docId.localeCompare(b.docId))).toEqual([
      { docId: 'o1', owner: 'me', at: expect.any(Date) },
      { docId: 'o2', owner: 'gone', at: stored },
    ]);
    await mine.done('o2', 'order');
    expect(await mine.count('order')).toBe(1);
  });
});
