import type { Logger } from 'pino';
import type { MailSignals } from './mail-signals';

/** Mail ids one search queues at most. */
const SEARCH_LIMIT = 64;
/**
 * The next search waits at least this many times as long as the last one took. On FerretDB a search
 * reads every stored mail, so its cost grows with the store: in the soak (10 000 mails, MAIL_POLL_MS
 * 200) searching every poll was one of the scans that held FerretDB at 150 % CPU. Searching then takes
 * at most a tenth of the time; on MongoDB the search is indexed and stays at `pollMs`.
 */
const SEARCH_PAUSE_FACTOR = 9;

/**
 * The loops of a mail-store worker. Mails are taken by id (`take(id)`, a primary-key read), by up to
 * `concurrency` loops at once: a step mostly waits on the database and NATS, so one loop alone capped
 * the e-mail channel at ~35 mails/s. The ids come from mails stored by this process (signalled) and
 * from a search of the store (`search`: retries that are due, mails of a crashed or other replica),
 * which queues what it finds. Only the first loop searches, at most once per `pollMs` (and
 * SEARCH_PAUSE_FACTOR times its last duration), busy or not: a search reads the whole store on
 * FerretDB. A failing step is logged and the loop goes on (the claim's lease hands the mail to the
 * next attempt).
 */
export class StoreWorkLoop {
  private stopped = false;
  private running?: Promise<unknown>;
  private readonly sleepers = new Set<() => void>();
  /** Ids to take; a Set, so a mail signalled twice or also found by a search is taken once. */
  private readonly queued = new Set<string>();
  private nextSearch = Number.NEGATIVE_INFINITY;
  private readonly onStored = (mailId: string) => {
    this.queued.add(mailId);
    this.wakeAll();
  };

  constructor(
    private readonly what: string,
    /** Takes that mail if it still needs this worker, and works it off. */
    private readonly take: (mailId: string) => Promise<void>,
    /** Ids of mails that need this worker, at most `limit`, those waiting longest first. */
    private readonly search: (limit: number) => Promise<string[]>,
    private readonly signals: MailSignals,
    private readonly pollMs: number,
    private readonly logger: Logger,
    private readonly concurrency = 1,
  ) {}

  start(): void {
    this.stopped = false;
    this.signals.on('stored', this.onStored);
    this.running = Promise.all(Array.from({ length: this.concurrency }, (_, i) => this.loop(i === 0)));
  }

  /** Finishes the step in hand. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.signals.off('stored', this.onStored);
    this.wakeAll();
    await this.running;
  }

  private async loop(searches: boolean): Promise<void> {
    while (!this.stopped) {
      const next = this.queued.values().next();
      if (!next.done) {
        this.queued.delete(next.value);
        await this.take(next.value).catch((err: unknown) => this.logger.error({ err }, `${this.what} loop failed`));
        continue;
      }
      const searchIn = this.nextSearch - Date.now();
      if (searches && searchIn <= 0) {
        const started = Date.now();
        const found = await this.search(SEARCH_LIMIT).catch((err: unknown) => {
          this.logger.error({ err }, `${this.what} search failed`);
          return [];
        });
        const took = Date.now() - started;
        this.nextSearch = started + Math.max(this.pollMs, took * (1 + SEARCH_PAUSE_FACTOR));
        for (const id of found) this.queued.add(id);
        if (found.length) this.wakeAll();
        continue;
      }
      // a mail stored during the step found no one asleep to wake: it is taken now, not after a poll
      if (!this.stopped && this.queued.size === 0) await this.idle(searches ? searchIn : this.pollMs);
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.sleepers]) wake();
  }
}
