import type { NatsConnection } from '@nats-io/nats-core';
import { jetstreamManager } from '@nats-io/jetstream';
import { waitFor } from '@orderhub/testkit';

/**
 * Messages the hub's durable consumers (streams named `<prefix>_…`) have not yet taken or not yet
 * acknowledged: work that is still under way.
 */
export async function unfinishedMessages(nc: NatsConnection, prefix: string): Promise<number> {
  const jsm = await jetstreamManager(nc);
  let unfinished = 0;
  for await (const stream of jsm.streams.list()) {
    if (!stream.config.name.startsWith(`${prefix}_`)) continue;
    for await (const consumer of jsm.consumers.list(stream.config.name)) {
      if (!consumer.config.durable_name) continue; // a reader's ephemeral consumer, not the hub's work
      unfinished += consumer.num_pending + consumer.num_ack_pending;
    }
  }
  return unfinished;
}

/**
 * Resolves once the hub has worked off what a phase left behind (e.g. the connectors' reports that
 * follow a write-back), seen twice in a row, so that the next phase measures only its own work.
 */
export async function untilQuiet(nc: NatsConnection, prefix: string, timeoutMs: number): Promise<void> {
  let quietBefore = false;
  await waitFor(
    async () => {
      const quiet = (await unfinishedMessages(nc, prefix)) === 0;
      const twice = quiet && quietBefore;
      quietBefore = quiet;
      return twice || undefined;
    },
    { timeoutMs, intervalMs: 250, what: 'the hub to work off its JetStream backlog' },
  );
}
