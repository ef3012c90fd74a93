import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import mongoose, { type Connection } from 'mongoose';
import { z } from 'zod';
import { ReadinessRegistry } from '../health/readiness';

export const MONGO_CONNECTION = Symbol('MONGO_CONNECTION');

/** Env of a service that owns a database: set MONGO_MAX_POOL_SIZE=1 on FerretDB v1 (see forRoot). */
export const MongoPoolEnv = {
  MONGO_MAX_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
};

@Injectable()
class MongoLifecycle implements OnApplicationShutdown {
  constructor(@Inject(MONGO_CONNECTION) private readonly connection: Connection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

/**
 * One mongoose connection for the service that owns a database. Indexes are built by the owning
 * module at start (`autoIndex` off), so FerretDB and MongoDB get the same, explicit set.
 */
@Module({})
export class MongoModule {
  /**
   * `maxPoolSize` caps concurrent operations of this process. MongoDB wants many; FerretDB v1 on
   * SQLite wants one or two: concurrent writes to one SQLite file wait in SQLite's busy handler
   * (sleeps of up to 100 ms each), so parallel requests make every operation slower, not faster.
   */
  static forRoot(url: string, options: { maxPoolSize?: number } = {}): DynamicModule {
    return {
      module: MongoModule,
      global: true,
      providers: [
        {
          provide: MONGO_CONNECTION,
          inject: [ReadinessRegistry],
          useFactory: async (readiness: ReadinessRegistry) => {
            const connection = mongoose.createConnection(url, {
              autoIndex: false,
              serverSelectionTimeoutMS: 10_000,
              maxPoolSize: options.maxPoolSize ?? 20,
            });
            await connection.asPromise();
            readiness.register('mongo', async () => {
              if (!connection.db) throw new Error('MongoDB not connected');
              await connection.db.admin().ping();
            });
            return connection;
          },
        },
        MongoLifecycle,
      ],
      exports: [MONGO_CONNECTION],
    };
  }
}
