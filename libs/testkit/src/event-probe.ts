import { connect } from '@nats-io/transport-node';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';

/**
 * Listens on core NATS to what services publish under a prefix (JetStream publishes are also
 * delivered to plain subscribers), so a test can assert which events were published and how often.
 */
export class EventProbe {
  readonly received: { subject: string; data: unknown; msgId?: string }[] = [];

  private constructor(
    private readonly nc: NatsConnection,
    private readonly sub: Subscription,
  ) {}

  static async start(natsUrl: string, subjectPattern: string): Promise<EventProbe> {
    const nc = await connect({ servers: natsUrl });
    const sub = nc.subscribe(subjectPattern);
    const probe = new EventProbe(nc, sub);
    void (async () => {
      for await (const m of sub) {
        let data: unknown;
        try {
          data = m.json();
        } catch {
          data = m.string();
        }
        probe.received.push({ subject: m.subject, data, msgId: m.headers?.get('Nats-Msg-Id') || undefined });
      }
    })();
    await nc.flush();
    return probe;
  }

  bySubject(suffix: string): unknown[] {
    return this.received.filter((r) => r.subject.endsWith(suffix)).map((r) => r.data);
  }

  async close(): Promise<void> {
    this.sub.unsubscribe();
    await this.nc.close();
  }
}
