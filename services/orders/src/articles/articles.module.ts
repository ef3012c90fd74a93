import { Module } from '@nestjs/common';
import { ArticlesApi } from './articles.api';
import { ArticlesService } from './articles.service';

@Module({ controllers: [ArticlesApi], providers: [ArticlesService], exports: [ArticlesService] })
export class ArticlesModule {}
