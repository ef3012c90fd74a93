import { Module } from '@nestjs/common';
import { ConnectionsModule } from '../connections/connections.module';
import { MailWorkerService } from './mail-worker.service';
import { OrderImporter } from './order-importer';
import { ParkedMailNotices } from './parked-mail-notices';
import { ParkedMailController } from './parked-mail.controller';

@Module({
  imports: [ConnectionsModule],
  controllers: [ParkedMailController],
  providers: [OrderImporter, ParkedMailNotices, MailWorkerService],
  exports: [OrderImporter],
})
export class ProcessingModule {}
