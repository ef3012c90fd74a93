/**
 * The three channels of the e2e benchmark as the merchant's customers see them: OTTO Market and a
 * Serverspot (Custom Shop API) shop, where orders appear through the simulators' admin APIs, and
 * Jimdo order e-mails sent over SMTP to mail-ingest. Every created order is returned with the time
 * it became visible at its channel, keyed like the hub keys it: `<connectionId>:<externalId>`.
 */
import { type AccountCreated, type ConnectionView, Rpc } from '@orderhub/contracts';
import { type RunningSystem, simAdmin } from '@orderhub/testkit';

export const CHANNELS = ['otto', 'serverspot', 'email'] as const;
export type ChannelName = (typeof CHANNELS)[number];
export const ACTOR = 'api-key:bench-e2e';

export interface CreatedOrder {
  key: string;
  channel: ChannelName;
  /** ms epoch: the admin call that created it has answered / the SMTP send was started. */
  visibleAt: number;
  /** ms epoch, pushed channels: the hub accepted it (SMTP answered 250). Polled channels: when the connector handed it in. */
  acceptedAt?: number;
}

/** The mail-sender simulator's library (plain JS from its build; bench does not reference its types). */
interface MailSender {
  buildJimdoOrderMail(o: { seed: number; shopKind?: 'classic' | 'dolphin'; form?: string }): {
    raw: Buffer;
    order: { orderNumber: string };
  };
  sendMail(raw: Buffer, t: { host: string; port: number; from: string; to: string }): Promise<unknown>;
}
const mailSender = require('@orderhub/sim-mail-sender/dist/index.js') as MailSender;

const SHOP_ID = 'e2e-shop';

export class E2eChannels {
  readonly connections: Record<ChannelName, ConnectionView>;
  /** SMTP sends in flight: capped so the bench client does not open hundreds of sockets at once. */
  private mailsInFlight = 0;
  private readonly mailQueue: (() => void)[] = [];
  private mailSeed = 1;
  readonly mailErrors: string[] = [];

  private constructor(
    private readonly system: RunningSystem,
    readonly accountId: string,
    connections: Record<ChannelName, ConnectionView>,
    private readonly partnerId: string,
    private readonly maxMailsInFlight: number,
  ) {
    this.connections = connections;
  }

  /** Account, OTTO seller, shop and the three connections, polled every `pollSeconds` (5 is the minimum a connection accepts). */
  static async setup(system: RunningSystem, pollSeconds: number, maxMailsInFlight = 32): Promise<E2eChannels> {
    const ottoUrl = system.simulator('otto-market').url;
    const shopUrl = system.simulator('custom-shop').url;
    const accountId = (await system.rpc.call<AccountCreated>(Rpc.accountsCreate, { name: 'E2E Bench GmbH' })).accountId;
    const seller = await simAdmin<{ partnerId: string }>(ottoUrl, 'POST', '/sellers', {
      username: 'e2e-otto',
      password: 'e2e-otto-pw',
      products: 10,
    });
    await simAdmin(shopUrl, 'POST', '/shops', { shopId: SHOP_ID, key: 'e2e-shop-key', orders: 0, products: 10 });
    const create = (body: unknown) => system.rpc.call<ConnectionView>(Rpc.connectionsCreate, { accountId, actor: ACTOR, body });
    const otto = await create({
      type: 'otto',
      settings: { name: 'OTTO e2e', apiBaseUrl: ottoUrl, pollIntervalSeconds: pollSeconds },
      secrets: { username: 'e2e-otto', password: 'e2e-otto-pw' },
    });
    const serverspot = await create({
      type: 'serverspot',
      settings: { name: 'Serverspot e2e', apiUrl: `${shopUrl}/shops/${SHOP_ID}/api`, pollIntervalSeconds: pollSeconds },
      secrets: { shopKey: 'e2e-shop-key' },
      verify: false,
    });
    const email = await create({ type: 'jimdo', settings: { name: 'Jimdo e2e', forwardTo: 'merchant@e2e.example' }, secrets: {} });
    return new E2eChannels(system, accountId, { otto, serverspot, email }, seller.partnerId, maxMailsInFlight);
  }

  key(channel: ChannelName, externalId: string): string {
    return `${this.connections[channel].id}:${externalId}`;
  }

  channelOf(connectionId: string): ChannelName | undefined {
    return CHANNELS.find((c) => this.connections[c].id === connectionId);
  }

  /** Creates `count` orders at one channel; resolves once all of them are visible there. */
  async create(channel: ChannelName, count: number): Promise<CreatedOrder[]> {
    if (count <= 0) return [];
    if (channel === 'otto') {
      const body = await simAdmin<{ orders: { order: { salesOrderId: string } }[] }>(
        this.system.simulator('otto-market').url,
        'POST',
        '/orders/generate',
        {
          partnerId: this.partnerId,
          count,
          fulfillmentStatus: 'PROCESSABLE',
        },
      );
      const visibleAt = Date.now();
      return body.orders.map((o) => ({ key: this.key('otto', o.order.salesOrderId), channel, visibleAt }));
    }
    if (channel === 'serverspot') {
      const orders = await simAdmin<{ order_id: string }[]>(
        this.system.simulator('custom-shop').url,
        'POST',
        `/shops/${SHOP_ID}/orders/generate`,
        { count },
      );
      const visibleAt = Date.now();
      return orders.map((o) => ({ key: this.key('serverspot', o.order_id), channel, visibleAt }));
    }
    return Promise.all(Array.from({ length: count }, () => this.sendOrderMail()));
  }

  /** One Jimdo order mail; visible at the channel when it is handed to SMTP (queueing behind the cap counts). */
  private async sendOrderMail(): Promise<CreatedOrder> {
    const seed = this.mailSeed++;
    const mail = mailSender.buildJimdoOrderMail({ seed, shopKind: 'dolphin', form: seed % 2 ? 'html' : 'text' });
    const visibleAt = Date.now();
    let acceptedAt = visibleAt;
    if (this.mailsInFlight >= this.maxMailsInFlight) await new Promise<void>((r) => this.mailQueue.push(r));
    this.mailsInFlight += 1;
    try {
      const to = String(this.connections.email.settings.inboundAddress);
      for (let attempt = 1; ; attempt++) {
        try {
          await mailSender.sendMail(mail.raw, { host: '127.0.0.1', port: this.system.smtpPort, from: 'shop@jimdo.com', to });
          acceptedAt = Date.now();
          break;
        } catch (err) {
          // An MTA would retry a 4xx / refused connection; so do we, a few times.
          if (attempt >= 5) throw err;
          this.mailErrors.push(String(err));
          await new Promise((r) => setTimeout(r, 500 * attempt));
        }
      }
    } finally {
      this.mailsInFlight -= 1;
      this.mailQueue.shift()?.();
    }
    return { key: this.key('email', mail.order.orderNumber), channel: 'email', visibleAt, acceptedAt };
  }

  /** What the channels report having received: OTTO shipments and shop SetOrderState 4, by the hub's key, with the channel's receive time. */
  async receivedWriteBacks(): Promise<Map<string, number>> {
    const got = new Map<string, number>();
    const shipments = await simAdmin<{ creationDate: string; positionItems: { salesOrderId: string }[] }[]>(
      this.system.simulator('otto-market').url,
      'GET',
      '/shipments',
    );
    for (const s of shipments) {
      const id = s.positionItems[0]?.salesOrderId;
      if (id) got.set(this.key('otto', id), Math.min(got.get(this.key('otto', id)) ?? Infinity, Date.parse(s.creationDate)));
    }
    const received = await simAdmin<{ stateChanges: { orderId: string; newStateTypeId: number; receivedAt: string }[] }>(
      this.system.simulator('custom-shop').url,
      'GET',
      `/shops/${SHOP_ID}/received`,
    );
    for (const c of received.stateChanges) {
      if (c.newStateTypeId !== 4) continue;
      const k = this.key('serverspot', c.orderId);
      got.set(k, Math.min(got.get(k) ?? Infinity, Date.parse(c.receivedAt)));
    }
    return got;
  }
}
