import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import mongoose, { type Connection } from 'mongoose';
import { ReadinessRegistry } from '../health/readiness';

export const MONGO_CONNECTION = Symbol('MONGO_CONNECTION');

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
  static forRoot(url: string): DynamicModule {
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
              maxPoolSize: 20,
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
