import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Msg, Subscription } from '@nats-io/nats-core';
import type { Logger } from 'pino';
import { ConnectorTriggers, ProblemError } from '@orderhub/contracts';
import { errorReply, LOGGER, NatsClient, okReply, SERVICE_NAME } from '@orderhub/platform';
import { WemaloConnections } from '../connections/wemalo-connections';
import { SweepScheduler } from './sweep-scheduler';

/** WEM-2 on-demand sync (`ConnectorTriggers.wemalo`): checks the connection belongs to the caller's account. */
@Injectable()
export class TriggerResponder implements OnApplicationBootstrap, OnApplicationShutdown {
  private sub?: Subscription;

  constructor(
    @Inject(NatsClient) private readonly nats: NatsClient,
    @Inject(SweepScheduler) private readonly sweeps: SweepScheduler,
    @Inject(WemaloConnections) private readonly connections: WemaloConnections,
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.sub = this.nats.nc.subscribe(this.nats.names.subject(ConnectorTriggers.wemalo), {
      queue: this.service,
      callback: (err, msg) => {
        if (err) return this.log.error({ err }, 'trigger subscription error');
        void this.handle(msg);
      },
    });
  }

  onApplicationShutdown(): void {
    this.sub?.unsubscribe();
  }

  private async handle(msg: Msg): Promise<void> {
    let request: { accountId?: unknown; connectionId?: unknown; type?: unknown };
    try {
      request = msg.json();
    } catch {
      return;
    }
    if (request.type !== 'wemalo' || typeof request.connectionId !== 'string') return;
    try {
      const connection = await this.connections.byId(request.connectionId);
      if (!connection || connection.accountId !== request.accountId)
        throw ProblemError.notFound(`wemalo connection ${request.connectionId}`);
      this.sweeps.pollSoon(connection.id);
      msg.respond(JSON.stringify(okReply({ accepted: true, connectionId: connection.id })));
    } catch (err) {
      msg.respond(JSON.stringify(errorReply(err)));
    }
  }
}
