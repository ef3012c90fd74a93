import type { EventSubject } from '@orderhub/contracts';
import { buildEnvelope, type EnvelopeFields, type WorkMarkers } from '@orderhub/platform';
import type { mongo } from 'mongoose';

/**
 * Outbox entry embedded in the aggregate's document: written in the same single-document update as
 * the change (FerretDB has no transactions). The payload is a JSON string: event data may hold keys
 * or nested arrays FerretDB v1 cannot store.
 */
export interface OutboxEntry {
  eventId: string;
  subject: string;
  payload: string;
  createdAt: Date;
}

/** An event checked against its contract (`buildEnvelope`), ready to be written with the change. */
export function outboxEntry<S extends EventSubject>(subject: S, fields: EnvelopeFields<S>): OutboxEntry {
  const envelope = buildEnvelope(subject, fields);
  return { eventId: envelope.eventId, subject, payload: JSON.stringify(envelope), createdAt: new Date(envelope.occurredAt) };
}

/** Fields every document with an outbox carries. */
export interface OutboxFields {
  outbox: OutboxEntry[];
  /** Indexed flag the relay polls (an equality match; FerretDB has no partial indexes). */
  outboxDirty: boolean;
  /** Write revision guarded by RevisionGuard (kept apart from the business `version`). */
  rev: number;
}

export function emptyOutbox(entries: OutboxEntry[] = []): OutboxFields {
  return { outbox: entries, outboxDirty: entries.length > 0, rev: 0 };
}

/** The `$push`/`$set` parts that add entries to an outbox in the same update as the change. */
export function outboxUpdate(entries: OutboxEntry[]): { push: Record<string, unknown>; set: Record<string, unknown> } {
  if (!entries.length) return { push: {}, set: {} };
  return { push: { outbox: { $each: entries } }, set: { outboxDirty: true } };
}

export type OutboxCollection = mongo.Collection<{ _id: string; accountId: string } & OutboxFields>;

/**
 * Documents with pending events, as markers on FerretDB (`outbox_markers`, work: the aggregate);
 * on MongoDB the relay finds them by the `outbox_pending` index on `outboxDirty`. `owner`: the process
 * whose writer marked the document, and whose relay publishes it (others take over after a while).
 */
export type OutboxMarkers = WorkMarkers<{ owner: string }>;
