import type { Logger } from 'pino';
import type { MailSignals } from './mail-signals';

/**
 * The loop of a mail-store worker: runs `step` back to back while it finds work, else waits for the
 * next poll or for a newly stored mail, whichever comes first. A failing step is logged and the loop
 * goes on (the claim's lease hands the mail to the next attempt).
 */
export class StoreWorkLoop {
  private stopped = false;
  private running?: Promise<void>;
  private wake?: () => void;
  private readonly onStored = () => this.wake?.();

  constructor(
    private readonly what: string,
    private readonly step: () => Promise<boolean>,
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
      try {
        worked = await this.step();
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
