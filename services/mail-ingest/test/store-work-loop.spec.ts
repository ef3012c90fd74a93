import pino from 'pino';
import { waitFor } from '@orderhub/testkit';
import { ByteBudget } from '../src/processing/byte-budget';
import { MailSignals } from '../src/store/mail-signals';
import { StoreWorkLoop } from '../src/store/store-work-loop';

/** Steps that hold each mail until the test lets it go, so what runs at the same time can be seen. */
function heldSteps(searchResults: string[][] = []) {
  const running = new Set<string>();
  const searches: number[] = [];
  const release = new Map<string, () => void>();
  let peak = 0;
  const take = async (mailId: string): Promise<void> => {
    running.add(mailId);
    peak = Math.max(peak, running.size);
    await new Promise<void>((resolve) => release.set(mailId, resolve));
    running.delete(mailId);
  };
  const search = async (): Promise<string[]> => {
    searches.push(running.size);
    return searchResults.shift() ?? [];
  };
  return { take, search, running, searches, release, peak: () => peak };
}

describe('StoreWorkLoop', () => {
  const logger = pino({ level: 'silent' });

  it('works off stored mails with `concurrency` loops at once; only one loop searches the store', async () => {
    const signals = new MailSignals();
    const steps = heldSteps();
    const loop = new StoreWorkLoop('test', steps.take, steps.search, signals, 60_000, logger, 3);
    loop.start();
    try {
      // the loops start at once; only the first searches the store (a search reads all of it on FerretDB)
      expect(steps.searches).toHaveLength(1);
      for (const id of ['m1', 'm2', 'm3', 'm4', 'm5']) signals.stored(id);
      await waitFor(() => steps.running.size === 3, { what: 'three mails in hand' });
      expect([...steps.running].sort()).toEqual(['m1', 'm2', 'm3']);
      steps.release.get('m2')!();
      await waitFor(() => steps.running.has('m4'), { what: 'the fourth mail taken when one finished' });
      for (const id of ['m1', 'm3', 'm4']) steps.release.get(id)!();
      await waitFor(() => steps.running.has('m5'), { what: 'the fifth mail taken' });
      steps.release.get('m5')!();
      await waitFor(() => steps.running.size === 0, { what: 'all mails done' });
      expect(steps.peak()).toBe(3);
    } finally {
      for (const resolve of steps.release.values()) resolve();
      await loop.stop();
    }
  });

  it('with concurrency 1 takes one mail at a time', async () => {
    const signals = new MailSignals();
    const steps = heldSteps();
    const loop = new StoreWorkLoop('test', steps.take, steps.search, signals, 60_000, logger);
    loop.start();
    try {
      signals.stored('a');
      signals.stored('b');
      await waitFor(() => steps.running.has('a'), { what: 'first mail' });
      expect(steps.running.size).toBe(1);
      steps.release.get('a')!();
      await waitFor(() => steps.running.has('b'), { what: 'second mail' });
      expect(steps.peak()).toBe(1);
    } finally {
      for (const resolve of steps.release.values()) resolve();
      await loop.stop();
    }
  });
});

describe('StoreWorkLoop searches', () => {
  const logger = pino({ level: 'silent' });

  it('queues what a search finds, and searches again only after the poll interval, however busy', async () => {
    const signals = new MailSignals();
    const steps = heldSteps([['s1', 's2'], ['s3']]);
    const loop = new StoreWorkLoop('test', steps.take, steps.search, signals, 400, logger, 2);
    const started = Date.now();
    loop.start();
    try {
      await waitFor(() => steps.running.size === 2, { what: 'both found mails in hand' });
      expect([...steps.running].sort()).toEqual(['s1', 's2']);
      for (const id of ['s1', 's2']) steps.release.get(id)!();
      signals.stored('m1');
      await waitFor(() => steps.running.has('m1'), { what: 'a stored mail taken without a search' });
      steps.release.get('m1')!();
      await waitFor(() => steps.running.has('s3'), { what: 'the second search' });
      expect(steps.searches).toHaveLength(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    } finally {
      for (const resolve of steps.release.values()) resolve();
      await loop.stop();
    }
  });

  it('waits ten times as long as a slow search took before the next one (FerretDB reads the whole store)', async () => {
    const signals = new MailSignals();
    const starts: number[] = [];
    const ends: number[] = [];
    const search = async (): Promise<string[]> => {
      starts.push(Date.now());
      await new Promise((resolve) => setTimeout(resolve, 150));
      ends.push(Date.now());
      return [];
    };
    const loop = new StoreWorkLoop('test', async () => undefined, search, signals, 50, logger);
    loop.start();
    try {
      await waitFor(() => starts.length >= 2, { what: 'a second search' });
      // Against the search's duration as it ran: on a busy machine a 150 ms timer can end sooner by
      // Date.now(), since the event loop dates timers from the start of its turn.
      const took = ends[0]! - starts[0]!;
      expect(took).toBeGreaterThanOrEqual(100);
      expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(10 * took);
    } finally {
      await loop.stop();
    }
  });
});

describe('ByteBudget', () => {
  it('holds a task back while the others would not leave room for it; a task alone always runs', async () => {
    const budget = new ByteBudget(100);
    const started: string[] = [];
    const finish = new Map<string, () => void>();
    const task = (name: string, bytes: number) =>
      budget.run(bytes, () => {
        started.push(name);
        return new Promise<void>((resolve) => finish.set(name, resolve));
      });
    const a = task('a', 60);
    const b = task('b', 30);
    const big = task('big', 500);
    await waitFor(() => started.length === 2, { what: 'a and b running' });
    expect(started).toEqual(['a', 'b']);
    finish.get('a')!();
    await a;
    // 30 bytes still held: the 500-byte task waits for them
    expect(started).toEqual(['a', 'b']);
    finish.get('b')!();
    await b;
    await waitFor(() => started.includes('big'), { what: 'the big task, alone' });
    finish.get('big')!();
    await big;
  });
});
