import { z } from 'zod';
import { Subjects } from '../subjects';
import { envelope } from './envelope';
import { ActivityOutcomeSchema, ChannelOrderSchema, ShipmentSchema } from '../order/order';
import { OrderLimits } from '../order/limits';
import { ArticleInputSchema } from '../article/article';

/** A connector hands in one channel order (HUB-1); the orders service creates or updates it (HUB-2). */
export const ChannelOrderImportCommand = envelope(
  Subjects.channelOrderImport,
  z.object({ connectionId: z.string(), channel: z.string(), order: ChannelOrderSchema }),
);
export type ChannelOrderImport = z.infer<typeof ChannelOrderImportCommand>;

export const ChannelArticleImportCommand = envelope(
  Subjects.channelArticleImport,
  z.object({ connectionId: z.string(), channel: z.string(), article: ArticleInputSchema }),
);
export type ChannelArticleImport = z.infer<typeof ChannelArticleImportCommand>;

/** A connector reports what happened when it wrote to the channel: stored in the order history, never dropped. */
export const ChannelActivityReportCommand = envelope(
  Subjects.channelActivityReport,
  z.object({
    orderId: z.string(),
    connectionId: z.string(),
    action: z.string().max(200),
    outcome: ActivityOutcomeSchema,
    detail: z.string().max(5000).optional(),
    ruleId: z.string().max(50).optional(),
    /** Tags to add/remove as part of the report (e.g. `order_received_by_wemalo`, WEM-4). */
    addTags: z.array(z.string().trim().min(1).max(OrderLimits.tagLength)).max(OrderLimits.tagsPerRequest).optional(),
    removeTags: z.array(z.string().trim().min(1).max(OrderLimits.tagLength)).max(OrderLimits.tagsPerRequest).optional(),
  }),
);
export type ChannelActivityReport = z.infer<typeof ChannelActivityReportCommand>;

/** WEM-6: parcels handed to the carrier become shipments and the order goes to shipped. */
export const FulfillmentParcelsShippedCommand = envelope(
  Subjects.fulfillmentParcelsShipped,
  z.object({
    orderId: z.string(),
    connectionId: z.string(),
    parcels: z
      .array(ShipmentSchema.omit({ id: true, createdAt: true, source: true }))
      .min(1)
      .max(OrderLimits.parcelsPerReport),
  }),
);
export type FulfillmentParcelsShipped = z.infer<typeof FulfillmentParcelsShippedCommand>;
