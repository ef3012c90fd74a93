import { headers as natsHeaders } from '@nats-io/nats-core';
import { Inject, Injectable } from '@nestjs/common';
import { type ConnectionView, ConnectorTriggers, hasOnDemandSync, ProblemError, type RpcReply } from '@orderhub/contracts';
import { CORRELATION_HEADER, currentContext, NatsClient, SERVICE_CONFIG } from '@orderhub/platform';
import type { GatewayConfig } from '../config';
import { problems } from '../http/problem';

/**
 * WEM-2 "sync now": asks the connector of the connection's type over core NATS
 * (`ConnectorTriggers[type]`); resolves once a connector acknowledged, a refusal comes back as its problem.
 */
@Injectable()
export class ConnectorTrigger {
  constructor(
    @Inject(NatsClient) private readonly nats: NatsClient,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async trigger(connection: Pick<ConnectionView, 'id' | 'accountId' | 'type'>): Promise<void> {
    if (!hasOnDemandSync(connection.type)) {
      throw ProblemError.conflict(`A ${connection.type} connection cannot be synced on demand: its orders come by e-mail or file upload`);
    }
    if (!this.nats.connected) throw new ProblemError(problems.unavailable('NATS is not connected; try again shortly'));
    const request = { accountId: connection.accountId, connectionId: connection.id, type: connection.type };
    const h = natsHeaders();
    const correlationId = currentContext()?.correlationId;
    if (correlationId) h.set(CORRELATION_HEADER, correlationId);
    let data: Uint8Array;
    try {
      const msg = await this.nats.nc.request(this.nats.names.subject(ConnectorTriggers[connection.type]), JSON.stringify(request), {
        timeout: this.config.CONNECTOR_TRIGGER_TIMEOUT_MS,
        headers: h,
      });
      data = msg.data;
    } catch {
      throw new ProblemError(problems.unavailable(`No ${connection.type} connector answered; the scheduled sync still runs`));
    }
    // a connector may refuse (e.g. connection inactive) with a problem; any other answer is an acknowledgement
    let reply: Partial<RpcReply<unknown>> | undefined;
    try {
      reply = data.length ? (JSON.parse(new TextDecoder().decode(data)) as Partial<RpcReply<unknown>>) : undefined;
    } catch {
      reply = undefined;
    }
    if (reply && reply.ok === false && reply.problem) throw new ProblemError(reply.problem);
  }
}
