import { Module } from '@nestjs/common';
import { OttoOrderMapper } from './otto-order-mapper';

@Module({ providers: [{ provide: OttoOrderMapper, useValue: new OttoOrderMapper() }], exports: [OttoOrderMapper] })
export class MappingModule {}
