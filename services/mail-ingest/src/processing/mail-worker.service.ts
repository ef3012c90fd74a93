import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, runInContext } from '@orderhub/platform';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { MAIL_CONFIG, type MailIngestConfig } from '../config';
import { ConnectionDirectory } from '../connections/connection-directory';
import { JimdoMailParser } from '../jimdo/jimdo-mail-parser';
import { toChannelOrder } from '../jimdo/order-draft';
import { MailMetrics } from '../metrics/mail-metrics';
import { MailStore, type MailRecord } from '../store/mail-store';
import { MailSignals } from '../store/mail-signals';
import { ParseWorkerIdentity } from '../store/parse-worker-identity';
import { StoreWorkLoop } from '../store/store-work-loop';
import { ByteBudget } from './byte-budget';
import { extractMailText } from './mail-text';
import { mimeProblems } from './mime-structure';
import { OrderImporter } from './order-importer';
import { ParkedMailNotices } from './parked-mail-notices';

/**
 * Works off the mail store: claims a `received` mail (a lease, so a crashed worker's mail is taken
 * over once the lease runs out), parses it and ends in `parsed`, `parked` (looks like an order but
 * cannot be read; raw kept for reprocessing) or `ignored` (not an order: only forwarded).
 */
@Injectable()
export class MailWorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly owner: string;
  private readonly parser = new JimdoMailParser();
  private readonly loop: StoreWorkLoop;
  private readonly budget: ByteBudget;

  constructor(
    @Inject(MAIL_CONFIG) private readonly config: MailIngestConfig,
    @Inject(MailStore) private readonly store: MailStore,
    @Inject(MailSignals) signals: MailSignals,
    @Inject(ConnectionDirectory) private readonly directory: ConnectionDirectory,
    @Inject(OrderImporter) private readonly importer: OrderImporter,
    @Inject(MailMetrics) private readonly metrics: MailMetrics,
    @Inject(ParkedMailNotices) private readonly notices: ParkedMailNotices,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ParseWorkerIdentity) identity: ParseWorkerIdentity,
  ) {
    this.owner = identity.owner;
    this.loop = new StoreWorkLoop(
      'mail worker',
      (id) => this.processOne(id),
      (limit) => store.waiting(limit),
      signals,
      config.MAIL_POLL_MS,
      logger,
      config.MAIL_WORKERS,
    );
    this.budget = new ByteBudget(config.MAIL_WORKER_BYTES_IN_FLIGHT);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** The mail processed if this worker could claim it (it is still to be processed and not leased). */
  private async processOne(mailId: string): Promise<void> {
    const mail = await this.store.claim(mailId, this.owner, this.config.MAIL_LEASE_MS);
    if (mail)
      await this.budget.run(mail.raw.length, () =>
        runInContext({ correlationId: mail._id, accountId: mail.recipients[0]?.accountId }, () => this.process(mail)),
      );
  }

  async process(mail: MailRecord): Promise<void> {
    try {
      const text = await extractMailText(mail.raw);
      const result = this.parser.parse(text.subject, text.text);
      if (result.kind === 'not-an-order') {
        await this.store.finish(mail._id, this.owner, 'ignored', { reason: result.reason, subject: text.subject });
        this.metrics.processed.inc({ outcome: 'ignored' });
        return;
      }
      if (result.kind === 'unparsable') {
        const broken = mimeProblems(mail.raw);
        const reason = broken.length ? `broken MIME structure: ${broken.join('; ')} (then: ${result.reason})` : result.reason;
        await this.park(mail, reason, text.subject, result.orderNumber);
        return;
      }
      let order;
      try {
        order = toChannelOrder(
          result.draft,
          JSON.stringify({ source: 'mail', mailId: mail._id, via: text.via, draft: result.draft }).slice(0, 1_000_000),
        );
      } catch (err) {
        const reason =
          err instanceof ZodError
            ? `order is not valid: ${err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`
            : String(err);
        await this.park(mail, reason, text.subject, result.draft.orderNumber);
        return;
      }
      // The list as the change notices left it, not as it was when the mail came in: a connection
      // deleted since then takes no order. Not read again per mail (at 33 mails/s that was an RPC to
      // the orders service per mail and a wait in every mail's turn); a notice lost in a NATS outage
      // is caught up by CONNECTIONS_REFRESH_MS, and the orders service refuses an import into a
      // connection that no longer exists anyway (the command is parked with that reason).
      await this.directory.settled();
      const ids = [...new Set(mail.recipients.map((r) => r.connectionId))];
      const gone = ids.filter((id) => !this.directory.cached(id));
      if (gone.length && !this.directory.directoryReachable)
        throw new Error(`the orders service is not reachable to tell whether connection ${gone.join(', ')} still exists`);
      if (gone.length && gone.length === ids.length) {
        await this.park(
          mail,
          `connection ${gone.join(', ')} no longer exists (deleted after the mail came in); not imported`,
          text.subject,
          order.externalId,
        );
        return;
      }
      const eventIds: string[] = [];
      const seen = new Set<string>(gone);
      for (const r of mail.recipients) {
        if (seen.has(r.connectionId)) continue;
        seen.add(r.connectionId);
        if (this.directory.cached(r.connectionId)?.importOrders === false) continue;
        const handedIn = await this.importer.import({
          accountId: r.accountId,
          connectionId: r.connectionId,
          order,
          source: 'mail',
          correlationId: mail._id,
        });
        eventIds.push(handedIn.eventId);
      }
      await this.store.finish(mail._id, this.owner, 'parsed', {
        orderNumber: order.externalId,
        eventIds,
        subject: text.subject,
        reason: undefined,
      });
      this.metrics.processed.inc({ outcome: 'parsed' });
    } catch (err) {
      // Infrastructure trouble (NATS, store): keep the mail `received` and retry with backoff.
      const reason = err instanceof Error ? err.message : String(err);
      if (mail.attempts >= this.config.MAIL_MAX_ATTEMPTS) {
        await this.park(mail, `gave up after ${mail.attempts} attempts: ${reason}`);
        return;
      }
      const delay = Math.min(60_000, 1_000 * 2 ** Math.min(mail.attempts, 6));
      this.logger.warn({ mailId: mail._id, err: reason, retryInMs: delay }, 'mail processing failed, will retry');
      this.metrics.processed.inc({ outcome: 'retry' });
      await this.store.release(mail._id, this.owner, reason, delay);
    }
  }

  private async park(mail: MailRecord, reason: string, subject?: string, orderNumber?: string): Promise<void> {
    this.logger.warn({ mailId: mail._id, reason }, 'order mail parked');
    await this.store.finish(mail._id, this.owner, 'parked', {
      reason,
      ...(subject ? { subject } : {}),
      ...(orderNumber ? { orderNumber } : {}),
    });
    this.metrics.processed.inc({ outcome: 'parked' });
    this.notices.parked(mail);
  }
}
