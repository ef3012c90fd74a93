/**
 * `node services/orders/dist/cli/account-create.js --name "Shop GmbH"` → prints `{ accountId, apiKeyId, apiKey }`.
 * Writes directly to the orders database (MONGO_URL): this is the orders service's own code.
 */
import mongoose from 'mongoose';
import { AccountRepository } from '../accounts/account.repository';
import { OrdersDatabase } from '../infrastructure/database';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--name');
  const name = (at >= 0 ? args[at + 1] : undefined)?.trim();
  const url = process.env.MONGO_URL;
  if (!name || !url) {
    process.stderr.write('usage: MONGO_URL=mongodb://… account-create --name <account name>\n');
    process.exit(2);
  }
  const connection = await mongoose.createConnection(url, { autoIndex: false, serverSelectionTimeoutMS: 10_000 }).asPromise();
  try {
    const db = new OrdersDatabase(connection.db as mongoose.mongo.Db);
    await db.ensureIndexes();
    const created = await new AccountRepository(db.accounts, db.apiKeys).create(name);
    process.stdout.write(`${JSON.stringify(created)}\n`);
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`account-create failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
