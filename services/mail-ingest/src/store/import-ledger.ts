import type { Collection, Db } from 'mongodb';
import { FERRETDB_STATEMENTS_PER_COMMAND, SentTogether } from '@orderhub/platform';

/**
 * Which channel orders this service has handed to the orders service (by connection + order number),
 * from mail or CSV. It answers "duplicate?" for the CSV import without reading the orders database,
 * which belongs to the orders service alone.
 */
export interface ImportLedgerEntry {
  _id: string;
  connectionId: string;
  externalId: string;
  contentHash: string;
  eventId: string;
  source: 'mail' | 'csv';
  importedAt: Date;
}

export class ImportLedger {
  private readonly entries: Collection<ImportLedgerEntry>;
  /** Entries of concurrent mail workers, written together (one command under load instead of one each). */
  private readonly upserts = new SentTogether<ImportLedgerEntry, void>((entries) => this.upsertNow(entries));

  constructor(db: Db) {
    this.entries = db.collection<ImportLedgerEntry>('imported_orders');
  }

  static key(connectionId: string, externalId: string): string {
    return `${connectionId}:${externalId}`;
  }

  async has(connectionId: string, externalId: string): Promise<boolean> {
    // a find by exactly `{ _id }`, not countDocuments (an aggregation): the form FerretDB answers from the _id index
    return (await this.entries.findOne({ _id: ImportLedger.key(connectionId, externalId) }, { projection: { _id: 1 } })) !== null;
  }

  async record(entry: Omit<ImportLedgerEntry, '_id' | 'importedAt'>): Promise<void> {
    const _id = ImportLedger.key(entry.connectionId, entry.externalId);
    await this.upserts.submit([{ ...entry, _id, importedAt: new Date() }]);
  }

  private async upsertNow(entries: ImportLedgerEntry[]): Promise<void[]> {
    for (let at = 0; at < entries.length; at += FERRETDB_STATEMENTS_PER_COMMAND) {
      await this.entries.bulkWrite(
        entries
          .slice(at, at + FERRETDB_STATEMENTS_PER_COMMAND)
          .map(({ _id, ...fields }) => ({ updateOne: { filter: { _id }, update: { $set: fields }, upsert: true } })),
        // in order: a later entry of the same order wins
        { ordered: true },
      );
    }
    return entries.map(() => undefined);
  }
}
