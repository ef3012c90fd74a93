import { Global, Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { MONGO_CONNECTION } from '@orderhub/platform';
import type { Connection } from 'mongoose';
import { WebhooksDatabase } from './webhooks-database';

@Injectable()
class StoreIndexes implements OnModuleInit {
  constructor(@Inject(WebhooksDatabase) private readonly db: WebhooksDatabase) {}

  async onModuleInit(): Promise<void> {
    await this.db.ensureIndexes();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: WebhooksDatabase,
      inject: [MONGO_CONNECTION],
      useFactory: (c: Connection) => {
        if (!c.db) throw new Error('MongoDB not connected');
        return new WebhooksDatabase(c.db);
      },
    },
    StoreIndexes,
  ],
  exports: [WebhooksDatabase],
})
export class StoreModule {}
