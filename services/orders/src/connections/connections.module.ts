import { Module } from '@nestjs/common';
import { ConnectionCheck } from './connection-check';
import { ConnectionsRpc } from './connections.rpc';
import { ConnectionsService } from './connections.service';

@Module({ controllers: [ConnectionsRpc], providers: [ConnectionsService, ConnectionCheck], exports: [ConnectionsService] })
export class ConnectionsModule {}
