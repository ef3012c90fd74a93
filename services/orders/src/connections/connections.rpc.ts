import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { z } from 'zod';
import { ConnectionsForConnectorRequestSchema, Rpc, RpcRequests, type RpcRequestOf } from '@orderhub/contracts';
import { ConnectionsService } from './connections.service';

@Controller()
export class ConnectionsRpc {
  constructor(@Inject(ConnectionsService) private readonly connections: ConnectionsService) {}

  @MessagePattern(Rpc.connectionsCreate, { schema: RpcRequests.connectionsCreate })
  create(@Payload() req: RpcRequestOf<'connectionsCreate'>) {
    return this.connections.create(req);
  }

  @MessagePattern(Rpc.connectionsUpdate, { schema: RpcRequests.connectionsUpdate })
  update(@Payload() req: RpcRequestOf<'connectionsUpdate'>) {
    return this.connections.update(req);
  }

  @MessagePattern(Rpc.connectionsTestDraft, { schema: RpcRequests.connectionsTestDraft })
  testDraft(@Payload() req: RpcRequestOf<'connectionsTestDraft'>) {
    return this.connections.testDraft(req);
  }

  @MessagePattern(Rpc.connectionsTest, { schema: RpcRequests.connectionsTest })
  test(@Payload() req: RpcRequestOf<'connectionsTest'>) {
    return this.connections.test(req);
  }

  @MessagePattern(Rpc.connectionsGet, { schema: RpcRequests.connectionsGet })
  get(@Payload() req: RpcRequestOf<'connectionsGet'>) {
    return this.connections.get(req.accountId, req.body.connectionId);
  }

  @MessagePattern(Rpc.connectionsList, { schema: RpcRequests.connectionsList })
  list(@Payload() req: RpcRequestOf<'connectionsList'>) {
    return this.connections.list(req.accountId, req.body.type);
  }

  @MessagePattern(Rpc.connectionsDelete, { schema: RpcRequests.connectionsDelete })
  delete(@Payload() req: RpcRequestOf<'connectionsDelete'>) {
    return this.connections.delete(req.accountId, req.body.connectionId);
  }

  @MessagePattern(Rpc.connectionsForConnector, { schema: ConnectionsForConnectorRequestSchema })
  forConnector(@Payload() req: z.infer<typeof ConnectionsForConnectorRequestSchema>) {
    return this.connections.forConnector(req);
  }
}
