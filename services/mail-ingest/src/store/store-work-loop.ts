import type { Logger } from 'pino';
import type { MailSignals } from './mail-signals';

/**
 * The loops of a mail-store worker. Mails stored by this process are taken by id (`step(id)`, a
 * primary-key read), by up to `concurrency` loops at once: a step mostly waits on the database and
 * NATS, so one loop alone capped the e-mail channel at ~35 mails/s. When none are waiting, the first
 * loop alone runs `step()`, which searches the store for work (retries, mails of a crashed or other
 * replica): a search reads the whole store on FerretDB. Finding none, the loops wait for the next
 * poll or the next stored mail. A failing step is logged and the loop goes on (the claim's lease
 * hands the mail to the next attempt).
 */
export class StoreWorkLoop {
  private stopped = false;
  private running?: Promise<unknown>;
  private readonly sleepers = new Set<() => void>();
  /** Ids of mails stored here since the last step; a Set, so a mail signalled twice is taken once. */
  private readonly stored = new Set<string>();
  private readonly onStored = (mailId: string) => {
    this.stored.add(mailId);
    this.wakeAll();
  };

  constructor(
    private readonly what: string,
    /** With an id: that mail, if it still needs this worker. Without: any mail that does. True if it did work or took an id. */
    private readonly step: (mailId?: string) => Promise<boolean>,
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
      let worked = false;
      const next = this.stored.values().next();
      if (!next.done) this.stored.delete(next.value);
      if (!next.done || searches) {
        try {
          worked = await this.step(next.done ? undefined : next.value);
        } catch (err) {
          this.logger.error({ err }, `${this.what} loop failed`);
        }
      }
      // a mail stored during the step found no one asleep to wake: it is taken now, not after a poll
      if (!worked && !this.stopped && this.stored.size === 0) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.pollMs);
      this.sleepers.add(wake);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.sleepers]) wake();
  }
}
