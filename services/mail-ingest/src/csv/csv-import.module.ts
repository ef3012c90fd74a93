import { Module } from '@nestjs/common';
import { ConnectionsModule } from '../connections/connections.module';
import { ProcessingModule } from '../processing/processing.module';
import { AbandonedJobsService } from './abandoned-jobs.service';
import { CsvImportController } from './csv-import.controller';
import { CsvImportService } from './csv-import.service';

@Module({
  imports: [ConnectionsModule, ProcessingModule],
  controllers: [CsvImportController],
  providers: [CsvImportService, AbandonedJobsService],
})
export class CsvImportModule {}
