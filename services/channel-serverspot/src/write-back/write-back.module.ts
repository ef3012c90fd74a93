import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { ImportModule } from '../import/import.module';
import { WriteBackService } from './write-back.service';

@Module({ imports: [ClientsModule, ImportModule], providers: [WriteBackService], exports: [WriteBackService] })
export class WriteBackModule {}
