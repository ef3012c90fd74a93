import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module';
import { ImportModule } from '../import/import.module';
import { WriteBackModule } from '../write-back/write-back.module';
import { ImportController } from './import.controller';
import { StockController } from './stock.controller';
import { WriteBackController } from './write-back.controller';

/** Everything that receives: HTTP routes and NATS message handlers; the work is in the feature modules. */
@Module({
  imports: [ImportModule, WriteBackModule, ArticlesModule],
  controllers: [ImportController, WriteBackController, StockController],
})
export class ApiModule {}
