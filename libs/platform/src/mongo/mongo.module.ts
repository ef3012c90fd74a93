import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import mongoose, { type Connection } from 'mongoose';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ReadinessRegistry } from '../health/readiness';
import { currentPhase } from '../logging/request-context';
import { PlatformMetrics } from '../metrics/metrics';
import { LOGGER, PlatformModule } from '../platform.module';
import type { BaseConfig } from '../config/load-config';
import { installDriverWriteGuard } from './driver-write-guard';
import { MongoWedgeWatch } from './mongo-wedge-watch';

export const MONGO_CONNECTION = Symbol('MONGO_CONNECTION');

/** Env of a service that owns a database: set MONGO_MAX_POOL_SIZE=1 on FerretDB v1 (see forRoot). */
export const MongoPoolEnv = {
  MONGO_MAX_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  /** Failing this long while the database answers a new client marks the process stuck (liveness fails). */
  MONGO_STUCK_AFTER_MS: z.coerce.number().int().min(1_000).default(60_000),
};

export interface MongoOptions {
  maxPoolSize?: number;
  stuckAfterMs?: number;
}

/** The one health question for a connection: readiness asks it, and the wedge watch asks it too. */
async function ping(connection: Connection): Promise<void> {
  if (!connection.db) throw new Error('MongoDB not connected');
  await connection.db.admin().ping();
}

@Injectable()
class MongoLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(MONGO_CONNECTION) private readonly connection: Connection,
    @Inject(MongoWedgeWatch) private readonly watch: MongoWedgeWatch,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.watch.stop();
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
  static forRoot(url: string, options: MongoOptions = {}): DynamicModule {
    return {
      module: MongoModule,
      global: true,
      providers: [
        {
          provide: MONGO_CONNECTION,
          inject: [ReadinessRegistry, LOGGER, PlatformMetrics],
          useFactory: async (readiness: ReadinessRegistry, logger: Logger, metrics: PlatformMetrics) => {
            if (!installDriverWriteGuard()) logger.warn('MongoDB driver write guard not installed: driver internals changed');
            const connection = mongoose.createConnection(url, {
              autoIndex: false,
              serverSelectionTimeoutMS: 10_000,
              maxPoolSize: options.maxPoolSize ?? 20,
              // Besides the write guard (see there): a check requested right after a pool error then
              // waits for the heartbeat timer, by when a dead monitor socket's 'close' has been handled
              // (0 wedged in 170 database restarts, against 1 in 12 with the 10 s default).
              heartbeatFrequencyMS: 500,
              // Counts every command by kind of work: the round-trip cost of a unit of work is a metric.
              monitorCommands: true,
            });
            connection.getClient().on('commandStarted', (event) => {
              metrics.databaseCommands.inc({ command: event.commandName, collection: collectionOf(event), phase: currentPhase() });
            });
            await connection.asPromise();
            readiness.register('mongo', () => ping(connection));
            return connection;
          },
        },
        {
          provide: MongoWedgeWatch,
          inject: [MONGO_CONNECTION, ReadinessRegistry, LOGGER],
          useFactory: (connection: Connection, readiness: ReadinessRegistry, logger: Logger) => {
            const afterMs = options.stuckAfterMs ?? 60_000;
            const watch = new MongoWedgeWatch(() => ping(connection), url, readiness, logger, {
              intervalMs: Math.min(5_000, afterMs / 4),
              afterMs,
            });
            watch.start();
            return watch;
          },
        },
        MongoLifecycle,
      ],
      exports: [MONGO_CONNECTION],
    };
  }
}

/** What a service that owns a database reads from its env for its connection. */
export interface DatabaseServiceConfig extends BaseConfig {
  MONGO_URL: string;
  MONGO_MAX_POOL_SIZE: number;
  MONGO_STUCK_AFTER_MS: number;
}

/** The platform (NATS, logging, metrics, health) and the database connection of a service that owns a database. */
export function databaseServiceModules(service: string, config: DatabaseServiceConfig): DynamicModule[] {
  return [
    PlatformModule.forRoot({ service, config }),
    MongoModule.forRoot(config.MONGO_URL, { maxPoolSize: config.MONGO_MAX_POOL_SIZE, stuckAfterMs: config.MONGO_STUCK_AFTER_MS }),
  ];
}

/**
 * The collection a command works on (`find: 'orders'`, `getMore`'s `collection`), or '' for commands
 * on none (`ping`). Bounded: collection names are fixed in code.
 */
function collectionOf(event: { commandName: string; command: Record<string, unknown> }): string {
  const target = event.command[event.commandName];
  if (typeof target === 'string') return target;
  return typeof event.command.collection === 'string' ? event.command.collection : '';
}
