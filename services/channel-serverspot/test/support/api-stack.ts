import type { AccountCreated } from '@orderhub/contracts';
import { ServiceProcess } from '@orderhub/testkit';
import { ShopSim, Stack } from './harness';

/** Shop simulator, orders + connector, and the gateway in front: what a merchant's API client meets. Two accounts. */
export class ApiStack {
  private constructor(
    readonly shop: ShopSim,
    readonly stack: Stack,
    readonly gateway: ServiceProcess,
    readonly account: AccountCreated,
    readonly other: AccountCreated,
  ) {}

  static async start(label: string): Promise<ApiStack> {
    const shop = await ShopSim.start();
    const stack = await Stack.start(label);
    const gateway = await ServiceProcess.start('services/gateway', { NATS_URL: stack.iso.natsUrl, NATS_PREFIX: stack.iso.natsPrefix });
    const account = await stack.createAccount(`Händler ${label}`);
    const other = await stack.createAccount(`Anderer Händler ${label}`);
    return new ApiStack(shop, stack, gateway, account, other);
  }

  /** An API call with the account's key (or another), the body parsed when there is one. */
  async api(method: string, path: string, key = this.account.apiKey): Promise<{ status: number; body: any; type: string | null }> {
    const res = await fetch(`${this.gateway.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${key}` } });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, type: res.headers.get('content-type') };
  }

  async close(): Promise<void> {
    await this.gateway.stop();
    await this.stack.close();
    await this.shop.close();
  }
}
