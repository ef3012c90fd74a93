import { Controller, Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { type MailReprocessing, type ParkedMailPage, ProblemError, RpcMethods } from '@orderhub/contracts';
import type { z } from 'zod';
import { MailStore } from '../store/mail-store';
import { MailSignals } from '../store/mail-signals';

const { mailDrop, mailParkedList, mailReprocess } = RpcMethods;

@Controller()
export class ParkedMailController {
  constructor(
    @Inject(MailStore) private readonly store: MailStore,
    @Inject(MailSignals) private readonly signals: MailSignals,
  ) {}

  /** Parked mails of the caller's account (raw bytes not included). */
  @MessagePattern(mailParkedList.subject, { schema: mailParkedList.request })
  async list(request: z.infer<typeof mailParkedList.request>): Promise<ParkedMailPage> {
    const limit = request.body.limit;
    const mails = await this.store.listParked(request.accountId, limit + 1, request.body.cursor);
    const page = mails.slice(0, limit);
    return {
      items: page.map((m) => ({
        id: m._id,
        receivedAt: m.receivedAt.toISOString(),
        subject: m.subject,
        messageId: m.messageId,
        from: m.envelope.mailFrom,
        connectionIds: [...new Set(m.recipients.filter((r) => r.accountId === request.accountId).map((r) => r.connectionId))],
        orderNumber: m.orderNumber,
        reason: m.reason,
        size: m.size,
      })),
      ...(mails.length > limit ? { nextCursor: page[page.length - 1]?._id } : {}),
    };
  }

  /** Puts a parked (or ignored) mail back to `received`: it is parsed again with the current profile. */
  @MessagePattern(mailReprocess.subject, { schema: mailReprocess.request })
  async reprocess(request: z.infer<typeof mailReprocess.request>): Promise<MailReprocessing> {
    const ok = await this.store.reprocess(request.body.mailId, request.accountId);
    if (!ok) throw ProblemError.notFound(`parked mail ${request.body.mailId}`);
    this.signals.stored(request.body.mailId);
    return { mailId: request.body.mailId, state: 'received' };
  }

  /** The merchant handles a parked mail by hand: it leaves the parked list (the mail itself is kept). */
  @MessagePattern(mailDrop.subject, { schema: mailDrop.request })
  async drop(request: z.infer<typeof mailDrop.request>): Promise<{ dropped: true }> {
    if (!(await this.store.drop(request.body.mailId, request.accountId))) throw ProblemError.notFound(`parked mail ${request.body.mailId}`);
    return { dropped: true };
  }
}
