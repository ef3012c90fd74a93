import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  at: number;
  headers: IncomingHttpHeaders;
  raw: string;
  body: {
    Id: string;
    Attempt: number;
    Properties: Record<string, unknown>;
    Notifications: ({ Action: string } & Record<string, unknown>)[];
  };
}

/** A webhook subscriber on loopback: answers the echo test, records every POST, answers `status()`. */
export class LoopbackReceiver {
  /** Status for the next POST; defaults to 200. */
  status: (delivery: ReceivedDelivery) => number = () => 200;

  private constructor(
    private readonly server: Server,
    readonly received: ReceivedDelivery[],
  ) {}

  static async start(): Promise<LoopbackReceiver> {
    const received: ReceivedDelivery[] = [];
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(url.searchParams.get('echo') ?? '');
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const delivery: ReceivedDelivery = { at: Date.now(), headers: req.headers, raw, body: JSON.parse(raw) as ReceivedDelivery['body'] };
        received.push(delivery);
        res.writeHead(receiver.status(delivery)).end();
      });
    });
    const receiver = new LoopbackReceiver(server, received);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Deliveries carrying a notification about this order (by our order id). */
  about(orderId: string): ReceivedDelivery[] {
    return this.received.filter((d) => d.body.Notifications.some((n) => n.OrderId === orderId));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
