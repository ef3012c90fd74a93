import type { mongo } from 'mongoose';
import { FERRETDB_STATEMENTS_PER_COMMAND } from './ferretdb-limits';

/**
 * Deletes documents by `_id`: one `deleteOne({ _id })` per id, FERRETDB_STATEMENTS_PER_COMMAND per
 * unordered `bulkWrite`. FerretDB finds a document by its primary key only for a filter that is
 * exactly `{ _id }`; a `deleteMany` with `$in` reads the whole collection (of claims: every
 * tombstone, a minute of writes). `bestEffort`: a failed command does not stop the next ones, its
 * documents stay.
 */
export async function deleteByIds<T extends { _id: string }>(
  collection: mongo.Collection<T>,
  ids: string[],
  options: { bestEffort?: boolean } = {},
): Promise<void> {
  for (let at = 0; at < ids.length; at += FERRETDB_STATEMENTS_PER_COMMAND) {
    const deletes = ids
      .slice(at, at + FERRETDB_STATEMENTS_PER_COMMAND)
      .map((_id) => ({ deleteOne: { filter: { _id } as mongo.Filter<T> } }));
    const sent = collection.bulkWrite(deletes, { ordered: false });
    await (options.bestEffort ? sent.catch(() => undefined) : sent);
  }
}
