import { z } from 'zod';

/** Every JetStream message body: a versioned envelope. `eventId` is also the `Nats-Msg-Id`. */
export function envelope<TType extends string, TData extends z.ZodType>(type: TType, data: TData, version = 1) {
  return z.object({
    eventId: z.string().min(1).max(200),
    type: z.literal(type),
    version: z.literal(version),
    occurredAt: z.iso.datetime({ offset: true }),
    accountId: z.string().min(1),
    correlationId: z.string().optional(),
    data,
  });
}

export type Envelope<TData> = {
  eventId: string;
  type: string;
  version: number;
  occurredAt: string;
  accountId: string;
  correlationId?: string;
  data: TData;
};
