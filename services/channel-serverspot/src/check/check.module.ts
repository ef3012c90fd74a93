import { Module } from '@nestjs/common';
import { ConnectionCheck } from './connection-check';

@Module({ providers: [ConnectionCheck], exports: [ConnectionCheck] })
export class CheckModule {}
