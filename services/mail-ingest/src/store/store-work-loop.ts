import type { Logger } from 'pino';
import type { MailSignals } from './mail-signals';

/**
 * The loop of a mail-store worker. Mails stored by this process are taken by id (`step(id)`, a
 * primary-key read); when none are waiting, `step()` searches the store for work (retries, mails of a
 * crashed or other replica) and, finding none, the loop waits for the next poll or the next stored
 * mail. A failing step is logged and the loop goes on (the claim's lease hands the mail to the next attempt).
 */
export class StoreWorkLoop {
  private stopped = false;
  private running?: Promise<void>;
  private wake?: () => void;
  /** Ids of mails stored here since the last step; a Set, so a mail signalled twice is taken once. */
  private readonly stored = new Set<string>();
  private readonly onStored = (mailId: string) => {
    this.stored.add(mailId);
    this.wake?.();
  };

  constructor(
    private readonly what: string,
    /** With an id: that mail, if it still needs this worker. Without: any mail that does. True if it did work or took an id. */
    private readonly step: (mailId?: string) => Promise<boolean>,
    private readonly signals: MailSignals,
    private readonly pollMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.signals.on('stored', this.onStored);
    this.running = this.loop();
  }

  /** Finishes the step in hand. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.signals.off('stored', this.onStored);
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let worked = false;
      const next = this.stored.values().next();
      if (!next.done) this.stored.delete(next.value);
      try {
        worked = await this.step(next.done ? undefined : next.value);
      } catch (err) {
        this.logger.error({ err }, `${this.what} loop failed`);
      }
      if (!worked && !this.stopped) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.pollMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      this.wake = undefined;
    });
  }
}
