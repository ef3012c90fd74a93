import { Global, Module } from '@nestjs/common';
import { MailMetrics } from './mail-metrics';

@Global()
@Module({ providers: [MailMetrics], exports: [MailMetrics] })
export class MailMetricsModule {}
