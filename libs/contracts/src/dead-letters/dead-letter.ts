import { z } from 'zod';

/** A message of the account that a service could not handle and parked on the DLQ stream (`npm run dlq` for operators). */
export const DeadLetterSchema = z.object({
  seq: z.number().int().positive().describe('Position on the DLQ stream; the id for replay and drop'),
  subject: z.string().describe('Where the message was published, e.g. channel.order.import'),
  reason: z.string().describe('Why the consumer gave up on it'),
  parkedAt: z.string(),
  deliveries: z.number().int().describe('How often it was tried'),
  eventId: z.string().optional(),
  orderId: z.string().optional(),
  connectionId: z.string().optional(),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

export const DeadLetterListSchema = z.object({ items: z.array(DeadLetterSchema) });

export const DeadLetterSeqParamsSchema = z.object({
  seq: z.coerce.number().int().positive().describe('`seq` from the list'),
});
