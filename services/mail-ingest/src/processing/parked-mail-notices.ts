import { Inject, Injectable } from '@nestjs/common';
import { type MailParkedNotice, Notices } from '@orderhub/contracts';
import { LOGGER, NatsClient } from '@orderhub/platform';
import type { Logger } from 'pino';
import type { MailRecord } from '../store/mail-store';

/**
 * Tells each account a parked mail was addressed to (`Notices.mailParked`), so the web app's Problems
 * page shows it without reload. Best effort: the mail is parked already; a lost notice only delays
 * the list until the page's next refetch.
 */
@Injectable()
export class ParkedMailNotices {
  constructor(
    @Inject(NatsClient) private readonly nats: NatsClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  parked(mail: Pick<MailRecord, '_id' | 'recipients'>): void {
    const byAccount = new Map<string, Set<string>>();
    for (const r of mail.recipients) byAccount.set(r.accountId, (byAccount.get(r.accountId) ?? new Set()).add(r.connectionId));
    for (const [accountId, connectionIds] of byAccount) {
      const notice: MailParkedNotice = { accountId, mailId: mail._id, connectionIds: [...connectionIds] };
      try {
        this.nats.nc.publish(this.nats.names.subject(Notices.mailParked), JSON.stringify(notice));
      } catch (err) {
        this.logger.warn({ err, mailId: mail._id }, 'parked-mail notice not sent');
      }
    }
  }
}
