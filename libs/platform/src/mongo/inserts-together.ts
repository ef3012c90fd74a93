import type { mongo } from 'mongoose';
import { SentTogether } from './sent-together';
import { isDuplicateKey, statementErrors } from './write-errors';

/**
 * Inserts of concurrent writers into one collection, in one unordered `insertMany` per batch. Each
 * writer learns per document whether it went in (false: a unique key refused it); a document the
 * server refused for another reason fails its own writer only, and a failure of the whole command
 * (the connection went away) fails every writer of the batch.
 */
export class InsertsTogether<T extends { _id: string }> {
  private readonly together: SentTogether<T, boolean | Error>;

  /**
   * `exclusive`: true only for a document this insert stored (a claim stored by another writer is
   * theirs). Otherwise a document found stored after a refusal counts as inserted (one marker is as
   * good as another).
   */
  constructor(
    private readonly collection: mongo.Collection<T>,
    private readonly options: { exclusive?: boolean } = {},
  ) {
    this.together = new SentTogether(async (docs) => {
      const inserted: (boolean | Error)[] = docs.map(() => true);
      try {
        await collection.insertMany(docs as mongo.OptionalUnlessRequiredId<T>[], { ordered: false });
      } catch (err) {
        const refused = statementErrors(err);
        if (!refused) throw err;
        for (const e of refused) if (isDuplicateKey(e)) inserted[e.index] = false;
        if (refused.some((e) => !isDuplicateKey(e))) return this.afterRefusal(docs, inserted);
      }
      return inserted;
    });
  }

  /**
   * A batch with a document refused for another reason than a duplicate key. FerretDB v1 stops at such
   * a refusal although the command is unordered (and misnames the statement in updates), so which of
   * the others went in is read back, and each missing one is inserted alone, for its own answer.
   * Exclusive, nothing is read back, since a document found stored may be another writer's (stored
   * after the refusal stopped the batch): each is inserted alone, and a duplicate answers false, also
   * for one the batch did store (its writer then takes it for another's, the safe mistake).
   */
  private async afterRefusal(docs: T[], answered: (boolean | Error)[]): Promise<(boolean | Error)[]> {
    return Promise.all(
      docs.map(async (doc, i) => {
        if (answered[i] === false) return false;
        const filter = { _id: doc._id } as mongo.Filter<T>;
        if (!this.options.exclusive && (await this.collection.findOne(filter, { projection: { _id: 1 } }))) return true;
        try {
          await this.collection.insertOne(doc as mongo.OptionalUnlessRequiredId<T>);
          return true;
        } catch (err) {
          if (isDuplicateKey(err)) return false;
          return err instanceof Error ? err : new Error(String(err));
        }
      }),
    );
  }

  async insert(docs: T[]): Promise<boolean[]> {
    const outcomes = await this.together.submit(docs);
    const refused = outcomes.find((o) => o instanceof Error);
    if (refused) throw refused;
    return outcomes as boolean[];
  }
}
