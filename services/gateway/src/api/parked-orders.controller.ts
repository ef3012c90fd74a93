import { Controller, Delete, Get, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type ConnectionView, ParkedOrderMethods, type ParkingConnectionType, ProblemError } from '@orderhub/contracts';
import type { Caller } from '../auth/api-key-authenticator';
import { ApiKeyAuth, CurrentCaller } from '../auth/api-key.guard';
import { TenantRpc } from '../clients/tenant-rpc.client';
import { Answers } from '../http/answers';
import { ApiProblems } from '../http/openapi';
import { IdParams, ParkedChannelOrderListDto, ParkedOrderParams, ParkedOrderRetryResultDto } from './dto';

/**
 * Shop orders a connector could not read (no positions, no order date), parked with the reason
 * instead of skipped (issue 15). Serverspot and OTTO connections park orders; other types list none.
 */
@ApiTags('Connections')
@ApiKeyAuth()
@Controller('api/v1/connections')
export class ParkedOrdersController {
  constructor(@Inject(TenantRpc) private readonly rpc: TenantRpc) {}

  @Get(':id/parked-orders')
  @ApiOperation({ summary: "The connection's shop orders that could not be imported, with the reason (oldest first)" })
  @Answers(200, 'The parked orders', ParkedChannelOrderListDto)
  @ApiProblems(404)
  async listParkedOrders(@CurrentCaller() caller: Caller, @Param() { id }: IdParams) {
    const connection = await this.rpc.call(caller, 'connectionsGet', { connectionId: id });
    if (!parks(connection)) return { items: [] };
    return this.rpc.call(caller, ParkedOrderMethods[connection.type].list, { connectionId: id });
  }

  @Post(':id/parked-orders/:externalId/retry')
  @ApiOperation({
    summary: 'Read a parked order from the shop again and import it',
    description:
      "`outcome: imported` with the hub's `orderId` once it can be read; `outcome: parked` with the current reason while it still cannot. 409 when the connection is inactive, 503 when the shop or the connector does not answer.",
  })
  @Answers(200, 'What the retry did', ParkedOrderRetryResultDto)
  @ApiProblems(404, 409)
  async retryParkedOrder(@CurrentCaller() caller: Caller, @Param() { id, externalId }: ParkedOrderParams) {
    const connection = await this.rpc.call(caller, 'connectionsGet', { connectionId: id });
    if (!parks(connection)) throw ProblemError.notFound('parked order');
    return this.rpc.call(caller, ParkedOrderMethods[connection.type].retry, { connectionId: id, externalId });
  }

  @Delete(':id/parked-orders/:externalId')
  @ApiOperation({
    summary: 'Drop a parked order: the merchant handles it by hand',
    description:
      'It is no longer listed and is not imported. Should the channel serve it again changed and still unreadable, it is parked again.',
  })
  @Answers(204, 'Dropped')
  @ApiProblems(404)
  async dropParkedOrder(@CurrentCaller() caller: Caller, @Param() { id, externalId }: ParkedOrderParams) {
    const connection = await this.rpc.call(caller, 'connectionsGet', { connectionId: id });
    if (!parks(connection)) throw ProblemError.notFound('parked order');
    await this.rpc.call(caller, ParkedOrderMethods[connection.type].drop, { connectionId: id, externalId });
  }
}

function parks(connection: Pick<ConnectionView, 'type'>): connection is ConnectionView & { type: ParkingConnectionType } {
  return connection.type in ParkedOrderMethods;
}
