import { Inject, Injectable } from '@nestjs/common';
import { OutboundHttp } from '@orderhub/platform';
import type { WemaloConnection } from '../connections/wemalo-connection';
import { CallBudget, WemaloClient } from './wemalo-client';

/** A wemalo client per connection; the call budget wemalo reports is kept per connection across calls. */
@Injectable()
export class WemaloClients {
  private readonly budgets = new Map<string, CallBudget>();

  constructor(@Inject(OutboundHttp) private readonly http: OutboundHttp) {}

  for(c: WemaloConnection): WemaloClient {
    let budget = this.budgets.get(c.id);
    if (!budget) this.budgets.set(c.id, (budget = new CallBudget()));
    return new WemaloClient(this.http, { connectionId: c.id, baseUrl: c.settings.apiBaseUrl, token: c.secrets.apiToken, budget });
  }
}
