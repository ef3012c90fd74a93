import { Module } from '@nestjs/common';
import { CheckModule } from '../check/check.module';
import { ImportModule } from '../import/import.module';
import { WriteBackModule } from '../write-back/write-back.module';
import { ConnectionCheckController } from './connection-check.controller';
import { WriteBackController } from './write-back.controller';

/** Everything that receives: NATS message handlers and RPCs; the work is in the feature modules. */
@Module({
  imports: [CheckModule, ImportModule, WriteBackModule],
  controllers: [ConnectionCheckController, WriteBackController],
})
export class ApiModule {}
