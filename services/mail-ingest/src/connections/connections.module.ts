import { Module } from '@nestjs/common';
import { ConnectionDirectory } from './connection-directory';

@Module({ providers: [ConnectionDirectory], exports: [ConnectionDirectory] })
export class ConnectionsModule {}
