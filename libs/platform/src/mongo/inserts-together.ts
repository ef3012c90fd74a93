import type { mongo } from 'mongoose';
import { duplicateKeyIndexes } from './revision-guard';
import { SentTogether } from './sent-together';

/**
 * Inserts of concurrent writers into one collection, in one unordered `insertMany` per batch; for each
 * document whether it went in (false: a unique key refused it). Any other failure fails the batch.
 */
export function insertsTogether<T extends { _id: string }>(collection: mongo.Collection<T>): SentTogether<T, boolean> {
  return new SentTogether(async (docs) => {
    const inserted = docs.map(() => true);
    try {
      await collection.insertMany(docs as mongo.OptionalUnlessRequiredId<T>[], { ordered: false });
    } catch (err) {
      for (const i of duplicateKeyIndexes(err)) inserted[i] = false;
    }
    return inserted;
  });
}
