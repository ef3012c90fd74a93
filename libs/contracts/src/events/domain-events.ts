import type { z } from 'zod';
import { Subjects } from '../subjects';
import { ArticleChangedEvent, ArticleStockChangedEvent } from '../article/article';
import {
  OrderCancelledEvent,
  OrderChannelActivityEvent,
  OrderImportedEvent,
  OrderShipmentAddedEvent,
  OrderShippedEvent,
  OrderStateChangedEvent,
  OrderTagsChangedEvent,
  OrderUpdatedEvent,
} from './order-events';
import {
  ChannelActivityReportCommand,
  ChannelArticleImportCommand,
  ChannelOrderImportCommand,
  FulfillmentParcelsShippedCommand,
} from './channel-commands';

/** The contract schema of every JetStream subject a service publishes to, keyed by subject. */
export const EventSchemas = {
  [Subjects.orderImported]: OrderImportedEvent,
  [Subjects.orderUpdated]: OrderUpdatedEvent,
  [Subjects.orderStateChanged]: OrderStateChangedEvent,
  [Subjects.orderShipped]: OrderShippedEvent,
  [Subjects.orderCancelled]: OrderCancelledEvent,
  [Subjects.orderTagsChanged]: OrderTagsChangedEvent,
  [Subjects.orderShipmentAdded]: OrderShipmentAddedEvent,
  [Subjects.orderChannelActivity]: OrderChannelActivityEvent,
  [Subjects.articleChanged]: ArticleChangedEvent,
  [Subjects.articleStockChanged]: ArticleStockChangedEvent,
  [Subjects.channelOrderImport]: ChannelOrderImportCommand,
  [Subjects.channelArticleImport]: ChannelArticleImportCommand,
  [Subjects.channelActivityReport]: ChannelActivityReportCommand,
  [Subjects.fulfillmentParcelsShipped]: FulfillmentParcelsShippedCommand,
} as const;

export type EventSubject = keyof typeof EventSchemas;
/** One event of a subject, as it travels (after its schema's defaults). */
export type EventOf<S extends EventSubject> = z.output<(typeof EventSchemas)[S]>;
/** What a publisher hands in as the event's `data` (before its schema's defaults). */
export type EventDataInput<S extends EventSubject> = z.input<(typeof EventSchemas)[S]>['data'];
/** Every event and command on JetStream, discriminated by `type` (= its subject). */
export type DomainEvent = { [S in EventSubject]: EventOf<S> }[EventSubject];

export function isEventSubject(subject: string): subject is EventSubject {
  return Object.hasOwn(EventSchemas, subject);
}
