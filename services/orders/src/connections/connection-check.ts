import { Inject, Injectable } from '@nestjs/common';
import { ConnectorChecks, type ConnectionType, ProblemError, ProblemTypes } from '@orderhub/contracts';
import { RpcClient } from '@orderhub/platform';
import { ORDERS_CONFIG, type OrdersConfig } from '../config';

/**
 * Issue 15: before a connection is saved its connector checks it (Serverspot: URL, shop key, login,
 * clock) and a refusal reaches the merchant as the connector's 422 problem. A type without a check
 * passes; a connector that does not answer is a 503 naming the way out (`verify: false`).
 */
@Injectable()
export class ConnectionCheck {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(ORDERS_CONFIG) private readonly config: OrdersConfig,
  ) {}

  /** Resolves true when the connector accepted it, false when the type has no check; a refusal throws. */
  async verify(type: ConnectionType, settings: Record<string, unknown>, secrets: Record<string, unknown>): Promise<boolean> {
    const subject = ConnectorChecks[type];
    if (!subject) return false;
    try {
      await this.rpc.call(subject, { ...settings, ...secrets }, this.config.CONNECTION_CHECK_TIMEOUT_MS);
      return true;
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      if (err.problem.status === 503) {
        throw new ProblemError({
          type: ProblemTypes.unavailable,
          title: 'Service unavailable',
          status: 503,
          detail: `The ${type} connector did not answer the connection check in time; try again, or save with "verify": false to skip the check.`,
        });
      }
      if (err.problem.status >= 500) throw err;
      // the connector's reason, as a 422 whatever it called it: the settings were well-formed
      throw new ProblemError({ ...err.problem, status: 422 });
    }
  }
}
