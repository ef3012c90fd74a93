import { z } from 'zod';

/** JIM: an order mail mail-ingest could not parse, kept with the reason until it is reprocessed. */
export const ParkedMailSchema = z.object({
  id: z.string().describe('Mail id, for reprocess'),
  receivedAt: z.string(),
  subject: z.string().optional(),
  messageId: z.string().optional(),
  from: z.string().optional().describe('Envelope sender'),
  connectionIds: z.array(z.string()).describe('The jimdo connections of the account the mail was addressed to'),
  orderNumber: z.string().optional().describe('If the parser got that far'),
  reason: z.string().optional().describe('Why the mail was parked'),
  size: z.number().int().optional(),
});
export type ParkedMail = z.infer<typeof ParkedMailSchema>;

export const ParkedMailPageSchema = z.object({
  items: z.array(ParkedMailSchema),
  nextCursor: z.string().optional().describe('Pass as `cursor` for the next page'),
});

export type ParkedMailPage = z.infer<typeof ParkedMailPageSchema>;

export const ParkedMailListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe('`nextCursor` of the previous page'),
});

export const MailReprocessRequestSchema = z.object({ mailId: z.string().min(1).max(200) });
export const MailReprocessingSchema = z.object({ mailId: z.string(), state: z.literal('received') });
export type MailReprocessing = z.infer<typeof MailReprocessingSchema>;

/**
 * Published on `Notices.mailParked` once a parked mail is stored, one per account it was addressed to:
 * the gateway's live feed tells that account's browsers to refetch their parked mails. A hint only
 * (core NATS, not kept): the list stays the source of truth.
 */
export const MailParkedNoticeSchema = z.object({
  accountId: z.string().min(1),
  mailId: z.string().min(1),
  connectionIds: z.array(z.string()),
});
export type MailParkedNotice = z.infer<typeof MailParkedNoticeSchema>;
