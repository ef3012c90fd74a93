import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER } from '@orderhub/platform';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { forwardEnvelopeFrom, MAIL_CONFIG, type MailIngestConfig } from '../config';
import { MailMetrics } from '../metrics/mail-metrics';
import { MailStore, type MailRecord } from '../store/mail-store';
import { MailSignals } from '../store/mail-signals';
import { StoreWorkLoop } from '../store/store-work-loop';

/**
 * JIM-4: the forward copy. The outbox is the `forward` part of each stored mail; this relay sends the
 * raw bytes unaltered (only the envelope is ours) through the configured SMTP relay, with backoff,
 * and gives up after FORWARD_MAX_ATTEMPTS (state `failed`, counted in the failures metric).
 */
@Injectable()
export class ForwardRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly owner = `fwd-${randomUUID()}`;
  private transporter?: Transporter;
  private readonly loop: StoreWorkLoop;

  constructor(
    @Inject(MAIL_CONFIG) private readonly config: MailIngestConfig,
    @Inject(MailStore) private readonly store: MailStore,
    @Inject(MailSignals) signals: MailSignals,
    @Inject(MailMetrics) private readonly metrics: MailMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.loop = new StoreWorkLoop(
      'forward relay',
      (id) => this.forwardOne(id),
      (limit) => store.forwardsDue(limit),
      signals,
      config.MAIL_POLL_MS,
      logger,
    );
  }

  onApplicationBootstrap(): void {
    const c = this.config;
    this.transporter = nodemailer.createTransport({
      host: c.FORWARD_SMTP_HOST,
      port: c.FORWARD_SMTP_PORT,
      secure: c.FORWARD_SMTP_SECURE,
      ...(c.FORWARD_SMTP_USER ? { auth: { user: c.FORWARD_SMTP_USER, pass: c.FORWARD_SMTP_PASSWORD ?? '' } } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      // A local relay (mailpit, test catcher) offers no trusted certificate.
      tls: { rejectUnauthorized: false },
    });
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    this.transporter?.close();
  }

  /** The mail's forward copy sent (or its failure recorded) if this relay could claim it. */
  private async forwardOne(mailId: string): Promise<void> {
    const mail = await this.store.claimForward(mailId, this.owner, 60_000);
    if (mail) await this.send(mail);
  }

  private async send(mail: MailRecord): Promise<void> {
    const to = mail.forward.to;
    try {
      if (!this.transporter) throw new Error('relay not configured');
      await this.transporter.sendMail({ envelope: { from: forwardEnvelopeFrom(this.config), to }, raw: mail.raw });
      await this.store.forwardDone(mail._id, { state: 'sent', sentAt: new Date() });
      this.metrics.forwarded.inc();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const code = (err as { responseCode?: number }).responseCode;
      this.metrics.forwardFailures.inc({ reason: code ? (code >= 500 ? 'permanent' : 'temporary') : 'connection' });
      const attempts = mail.forward.attempts;
      const permanent = typeof code === 'number' && code >= 500 && code < 600;
      if (permanent || attempts >= this.config.FORWARD_MAX_ATTEMPTS) {
        this.logger.error({ mailId: mail._id, err: message, attempts }, 'forward copy failed for good');
        await this.store.forwardDone(mail._id, { state: 'failed', lastError: message });
        return;
      }
      const backoff = this.config.FORWARD_BACKOFF_MS;
      const delay = backoff[Math.min(attempts - 1, backoff.length - 1)] ?? 60_000;
      this.logger.warn({ mailId: mail._id, err: message, attempts, retryInMs: delay }, 'forward copy failed, will retry');
      await this.store.forwardDone(mail._id, { lastError: message, nextAttemptAt: new Date(Date.now() + delay) });
    }
  }
}
