import { createLogger } from '@orderhub/platform';
import { waitFor } from '@orderhub/testkit';
import {
  type Connection,
  type ConnectionHealthBook,
  type ConnectionRegistry,
  type ConnectorMetrics,
  type LeaseKeeper,
  PollScheduler,
} from '../src';

/** Long enough that a poll within a test's wait can only come from a sync request, not the schedule. */
const TICK_MS = 600_000;

const connection = {
  id: 'conn-1',
  accountId: 'acc-1',
  type: 'otto',
  settings: { active: true, pollIntervalSeconds: 3_600 },
} as unknown as Connection;

const leases = {
  owner: 'replica-a',
  heartbeat: async () => undefined,
  liveReplicas: async () => ['replica-a'],
  acquire: async () => true,
  release: async () => undefined,
  retire: async () => undefined,
} as unknown as LeaseKeeper;

const metrics = {
  pollDuration: { startTimer: () => () => undefined },
  lastSuccessfulPoll: { set: () => undefined },
  pollErrors: { inc: () => undefined },
  leasesHeld: { set: () => undefined },
} as unknown as ConnectorMetrics;

const health = {
  succeeded: async () => undefined,
  failed: async () => undefined,
  refreshGauges: () => undefined,
} as unknown as ConnectionHealthBook;

describe('poll scheduler: sync now', () => {
  let scheduler: PollScheduler | undefined;
  afterEach(() => scheduler?.stop());

  function schedulerWith(poll: () => Promise<void>): PollScheduler {
    const registry = { all: async () => [connection] } as unknown as ConnectionRegistry;
    const target = { wants: () => true, poll };
    scheduler = new PollScheduler('otto', registry, leases, target, metrics, health, createLogger('poll-scheduler', 'silent'), {
      tickMs: TICK_MS,
    });
    return scheduler;
  }

  it('polls a connection at once when a sync is asked for between ticks', async () => {
    let polls = 0;
    const s = schedulerWith(async () => void (polls += 1));
    s.start();
    await waitFor(() => polls === 1, { what: 'the first poll' });
    s.pollSoon(connection.id);
    await waitFor(() => polls === 2, { what: 'the poll asked for', timeoutMs: 10_000 });
  });

  it('polls again right after the poll under way when a sync is asked for during it', async () => {
    let polls = 0;
    let finishFirst: () => void = () => undefined;
    const firstUnderWay = new Promise<void>((resolve) => {
      const s = schedulerWith(async () => {
        polls += 1;
        if (polls === 1) {
          resolve();
          await new Promise<void>((done) => (finishFirst = done));
        }
      });
      s.start();
    });
    await firstUnderWay;
    scheduler!.pollSoon(connection.id);
    finishFirst();
    await waitFor(() => polls === 2, { what: 'the poll asked for', timeoutMs: 10_000 });
  });
});
