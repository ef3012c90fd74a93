import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/api-key-authenticator';
import { ApiKeyAuth, CurrentCaller } from '../auth/api-key.guard';
import { ConnectionHealthReader, startOfUtcDay } from '../clients/connection-health.client';
import { TenantRpc } from '../clients/tenant-rpc.client';
import { Answers } from '../http/answers';
import { ApiProblems } from '../http/openapi';
import { ConnectionHealthDto, ConnectionHealthListDto, ConnectionHealthQuery, IdParams } from './dto';

const HEALTH_DESCRIPTION =
  'Last successful poll or write-back, last error with time and reason, consecutive failures, the circuit breaker as the ' +
  "last attempt found it, and the orders the hub took in since `since`. 'unknown': nothing recorded yet, or the connector did not answer.";

/** Which connections fail and why (issue 15): the API's answer, where metrics only count them. */
@ApiTags('Connections')
@ApiKeyAuth()
@Controller('api/v1/connection-health')
export class ConnectionHealthController {
  constructor(
    @Inject(TenantRpc) private readonly rpc: TenantRpc,
    @Inject(ConnectionHealthReader) private readonly health: ConnectionHealthReader,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Health of every connection of the account', description: HEALTH_DESCRIPTION })
  @Answers(200, 'One entry per connection', ConnectionHealthListDto)
  async listConnectionHealth(@CurrentCaller() caller: Caller, @Query() query: ConnectionHealthQuery) {
    const connections = await this.rpc.call(caller, 'connectionsList', {});
    return { items: await this.health.of(caller, connections, query.since ?? startOfUtcDay()) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Health of one connection', description: HEALTH_DESCRIPTION })
  @Answers(200, 'The connection health', ConnectionHealthDto)
  @ApiProblems(404)
  async getConnectionHealth(@CurrentCaller() caller: Caller, @Param() { id }: IdParams, @Query() query: ConnectionHealthQuery) {
    const connection = await this.rpc.call(caller, 'connectionsGet', { connectionId: id });
    const [health] = await this.health.of(caller, [connection], query.since ?? startOfUtcDay());
    return health;
  }
}
