import { Module } from '@nestjs/common';
import { ForwardRelayService } from './forward-relay.service';

@Module({ providers: [ForwardRelayService] })
export class ForwardModule {}
