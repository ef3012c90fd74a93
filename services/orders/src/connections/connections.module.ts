import { Module } from '@nestjs/common';
import { ConnectionsRpc } from './connections.rpc';
import { ConnectionsService } from './connections.service';

@Module({ controllers: [ConnectionsRpc], providers: [ConnectionsService], exports: [ConnectionsService] })
export class ConnectionsModule {}
