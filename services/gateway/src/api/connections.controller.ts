import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CreateConnection } from '@orderhub/contracts';
import type { Response } from 'express';
import type { Caller } from '../auth/api-key-authenticator';
import { ApiKeyAuth, CurrentCaller } from '../auth/api-key.guard';
import { ConnectorTrigger } from '../clients/connector-trigger.client';
import { TenantRpc } from '../clients/tenant-rpc.client';
import { Answers } from '../http/answers';
import { ContractValidationPipe } from '../http/contract-validation.pipe';
import { ApiProblems } from '../http/openapi';
import {
  ConnectionDto,
  ConnectionListDto,
  ConnectionTestResultDto,
  CreateConnectionRequest,
  IdParams,
  ListConnectionsQuery,
  SyncAcceptedDto,
  TestConnectionRequest,
  UpdateConnectionRequest,
} from './dto';

/**
 * Channel and fulfilment connections (CONN-1..4). Secrets are write-only: the contract's view has
 * `secretsSet` only, and parsing the reply with it drops anything else.
 */
@ApiTags('Connections')
@ApiKeyAuth()
@Controller('api/v1/connections')
export class ConnectionsController {
  constructor(
    @Inject(TenantRpc) private readonly rpc: TenantRpc,
    @Inject(ConnectorTrigger) private readonly connectors: ConnectorTrigger,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List the channel and fulfilment connections of the account' })
  @Answers(200, 'The connections', ConnectionListDto)
  async listConnections(@CurrentCaller() caller: Caller, @Query() query: ListConnectionsQuery) {
    return { items: await this.rpc.call(caller, 'connectionsList', query) };
  }

  @Post()
  @ApiOperation({ summary: 'Create a connection (CONN-1): settings and write-only secrets of the chosen type' })
  @Answers(201, 'The connection, without its secrets; `Location` points at it', ConnectionDto)
  @ApiProblems(409, 422)
  @ApiBody({ type: CreateConnectionRequest })
  async createConnection(
    @CurrentCaller() caller: Caller,
    @Body(new ContractValidationPipe(CreateConnectionRequest)) body: CreateConnection,
    @Res({ passthrough: true }) res: Response,
  ) {
    const connection = await this.rpc.call(caller, 'connectionsCreate', body, '/api/v1/connections');
    res.location(`/api/v1/connections/${connection.id}`);
    return connection;
  }

  @Post('test')
  @HttpCode(200)
  @ApiOperation({
    summary: '"Test connection" for a form not saved yet: the check saving runs (URL rule, the connector\'s check), nothing stored',
    description: "422 with the channel's reason when the connector refuses; 503 when it does not answer.",
  })
  @Answers(200, 'What the test found', ConnectionTestResultDto)
  @ApiProblems(422)
  @ApiBody({ type: CreateConnectionRequest })
  testConnectionDraft(@CurrentCaller() caller: Caller, @Body(new ContractValidationPipe(CreateConnectionRequest)) body: CreateConnection) {
    return this.rpc.call(caller, 'connectionsTestDraft', body);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({
    summary: '"Test connection" of a saved connection, optionally with unsaved settings/secrets over the stored ones; nothing stored',
    description: "422 with the channel's reason when the connector refuses; 503 when it does not answer.",
  })
  @Answers(200, 'What the test found', ConnectionTestResultDto)
  @ApiProblems(404, 422)
  testConnection(@CurrentCaller() caller: Caller, @Param() { id }: IdParams, @Body() body: TestConnectionRequest) {
    return this.rpc.call(caller, 'connectionsTest', { ...body, connectionId: id });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One connection with its capabilities (CONN-2) and which secrets are set' })
  @Answers(200, 'The connection', ConnectionDto)
  @ApiProblems(404)
  getConnection(@CurrentCaller() caller: Caller, @Param() { id }: IdParams) {
    return this.rpc.call(caller, 'connectionsGet', { connectionId: id });
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change settings and/or replace secrets; settings are validated against the connection type' })
  @Answers(200, 'The changed connection', ConnectionDto)
  @ApiProblems(404, 409, 422)
  updateConnection(@CurrentCaller() caller: Caller, @Param() { id }: IdParams, @Body() body: UpdateConnectionRequest) {
    return this.rpc.call(caller, 'connectionsUpdate', { ...body, connectionId: id }, `/api/v1/connections/${id}`);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a connection' })
  @Answers(204, 'Deleted')
  @ApiProblems(404, 409)
  async deleteConnection(@CurrentCaller() caller: Caller, @Param() { id }: IdParams): Promise<void> {
    await this.rpc.call(caller, 'connectionsDelete', { connectionId: id }, `/api/v1/connections/${id}`);
  }

  @Post(':id/sync')
  @ApiOperation({
    summary: 'Ask the connector to sync this connection now (WEM-2); no request body',
    description:
      '409 for a connection type without on-demand sync (jimdo: orders come by e-mail or upload); 503 when no connector answers.',
  })
  @Answers(202, 'A connector accepted the request', SyncAcceptedDto)
  @ApiProblems(404, 409)
  async syncConnection(@CurrentCaller() caller: Caller, @Param() { id }: IdParams) {
    const connection = await this.rpc.call(caller, 'connectionsGet', { connectionId: id });
    await this.connectors.trigger(connection);
    return { accepted: true as const, connectionId: connection.id, type: connection.type };
  }
}
