import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Rpc } from '@orderhub/contracts';
import {
  type CheckConnectionRequest,
  CheckConnectionRequestSchema,
  ConnectionCheck,
  type CheckConnectionResult,
} from '../check/connection-check';

/** Core-NATS RPC for the gateway: test a Serverspot connection's settings before saving it (SSP-1). */
@Controller()
export class ConnectionCheckController {
  constructor(@Inject(ConnectionCheck) private readonly checker: ConnectionCheck) {}

  @MessagePattern(Rpc.serverspotCheckConnection, { schema: CheckConnectionRequestSchema })
  async check(@Payload() request: CheckConnectionRequest): Promise<CheckConnectionResult> {
    return this.checker.check(request);
  }
}
