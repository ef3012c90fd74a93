import { Global, Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { LOGGER, MONGO_CONNECTION } from '@orderhub/platform';
import type { Logger } from 'pino';
import type { Connection } from 'mongoose';
import { ImportJobStore } from '../csv/import-job-store';
import { ImportLedger } from './import-ledger';
import { MailStore } from './mail-store';
import { MailSignals } from './mail-signals';
import { ParseWorkerIdentity } from './parse-worker-identity';

function dbOf(connection: Connection) {
  if (!connection.db) throw new Error('MongoDB not connected');
  return connection.db;
}

@Injectable()
class StoreIndexes implements OnModuleInit {
  constructor(
    @Inject(MailStore) private readonly mails: MailStore,
    @Inject(ImportJobStore) private readonly jobs: ImportJobStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.mails.ensureIndexes();
    await this.jobs.ensureIndexes();
    // In the background: a read of the whole store, done once per start.
    void this.mails.restoreWorkMarkers().catch((err: unknown) => this.logger.warn({ err }, 'mail work markers not restored'));
  }
}

/** The mail-ingest database: mail store (with the forward outbox inside each mail), import ledger, import jobs. */
@Global()
@Module({
  providers: [
    { provide: MailStore, inject: [MONGO_CONNECTION], useFactory: (c: Connection) => new MailStore(dbOf(c)) },
    { provide: ImportLedger, inject: [MONGO_CONNECTION], useFactory: (c: Connection) => new ImportLedger(dbOf(c)) },
    { provide: ImportJobStore, inject: [MONGO_CONNECTION], useFactory: (c: Connection) => new ImportJobStore(dbOf(c)) },
    MailSignals,
    ParseWorkerIdentity,
    StoreIndexes,
  ],
  exports: [MailStore, ImportLedger, ImportJobStore, MailSignals, ParseWorkerIdentity],
})
export class StoreModule {}
