import { Module } from '@nestjs/common';
import { ConnectionsModule } from '../connections/connections.module';
import { SmtpInboundService } from './smtp-inbound.service';

@Module({ imports: [ConnectionsModule], providers: [SmtpInboundService], exports: [SmtpInboundService] })
export class SmtpModule {}
