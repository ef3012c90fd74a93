import { mongo } from 'mongoose';
import { isolate } from './isolation';

/** A database of its own on the test backends: `open` before the tests, `close` (drops it) after them. */
export class TestDatabase {
  readonly mongoUrl: string;
  private client?: mongo.MongoClient;

  constructor(label: string) {
    this.mongoUrl = isolate(label).mongoUrl;
  }

  async open(): Promise<mongo.Db> {
    this.client = await new mongo.MongoClient(this.mongoUrl).connect();
    return this.client.db();
  }

  async close(): Promise<void> {
    await this.client?.db().dropDatabase();
    await this.client?.close();
  }
}
