import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { z } from 'zod';
import { ConnectionsForConnectorRequestSchema, Rpc, RpcRequests } from '@orderhub/contracts';
import { ConnectionsService } from './connections.service';

type Req<K extends keyof typeof RpcRequests> = z.infer<(typeof RpcRequests)[K]>;

@Controller()
export class ConnectionsRpc {
  constructor(@Inject(ConnectionsService) private readonly connections: ConnectionsService) {}

  @MessagePattern(Rpc.connectionsCreate, { schema: RpcRequests.connectionsCreate })
  create(@Payload() req: Req<'connectionsCreate'>) {
    return this.connections.create(req);
  }

  @MessagePattern(Rpc.connectionsUpdate, { schema: RpcRequests.connectionsUpdate })
  update(@Payload() req: Req<'connectionsUpdate'>) {
    return this.connections.update(req);
  }

  @MessagePattern(Rpc.connectionsGet, { schema: RpcRequests.connectionsGet })
  get(@Payload() req: Req<'connectionsGet'>) {
    return this.connections.get(req.accountId, req.body.connectionId);
  }

  @MessagePattern(Rpc.connectionsList, { schema: RpcRequests.connectionsList })
  list(@Payload() req: Req<'connectionsList'>) {
    return this.connections.list(req.accountId, req.body.type);
  }

  @MessagePattern(Rpc.connectionsDelete, { schema: RpcRequests.connectionsDelete })
  delete(@Payload() req: Req<'connectionsDelete'>) {
    return this.connections.delete(req.accountId, req.body.connectionId);
  }

  @MessagePattern(Rpc.connectionsForConnector, { schema: ConnectionsForConnectorRequestSchema })
  forConnector(@Payload() req: z.infer<typeof ConnectionsForConnectorRequestSchema>) {
    return this.connections.forConnector(req);
  }
}
