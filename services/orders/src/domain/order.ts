import {
  type Address,
  type EventDataInput,
  type EventSubject,
  type ChannelOrder,
  type HistoryEntry,
  type OrderPosition,
  type OrderStateId,
  type Payment,
  type Shipment,
  canTransition,
  isFinalState,
  jsonBytes,
  ORDER_STATE_NAMES,
  orderTotalGross,
  OrderLimits,
  OrderState,
  ProblemError,
  Subjects,
  TOTAL_OVERFLOW_MESSAGE,
} from '@orderhub/contracts';
import type { PositionLock } from './channel-rules';
import { assertCancellable } from './channel-rules';

/** The order as the domain sees it (dates as ISO strings). */
export interface OrderData {
  id: string;
  accountId: string;
  connectionId: string;
  channel: string;
  externalId: string;
  orderNumber?: string;
  state: OrderStateId;
  orderedAt: string;
  currency: string;
  positions: OrderPosition[];
  positionsLocked: boolean;
  positionsLockRuleId?: string;
  buyer?: Address;
  invoiceAddress?: Address;
  shippingAddress?: Address;
  shippingCost: number;
  paymentMethod?: string;
  payments: Payment[];
  payByDate?: string;
  shipDate?: string;
  tags: string[];
  shipments: Shipment[];
  invoiceNumber?: string;
  comments: string[];
  vatId?: string;
  shippingProfileId?: string;
  deliverySourceCountryCode?: string;
  totalGross: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** HUB-2: hash of the last imported channel content. */
  contentHash: string;
  rawPayload?: string;
}

/** A history entry plus the command that caused it, so a redelivered command is recognised. */
export interface OrderHistoryEntry extends HistoryEntry {
  commandId?: string;
}

type OrderFactSubject = Extract<EventSubject, `order.${string}`>;
/** What the application adds to every order fact: the order reference and the order after the change. */
type OrderRefField = 'orderId' | 'connectionId' | 'channel' | 'externalId' | 'order';
type OrderFactData<S extends OrderFactSubject> = Omit<EventDataInput<S>, OrderRefField>;

/** A fact the aggregate produced; the application wraps it in an envelope with the order snapshot. */
export type OrderDomainEvent = { [S in OrderFactSubject]: { subject: S; data: OrderFactData<S> } }[OrderFactSubject];

export interface Actor {
  actor: string;
  at: string;
  /** Event id of the command being handled (JetStream), for idempotency. */
  commandId?: string;
}

export type NewShipment = Omit<Shipment, 'id' | 'createdAt' | 'source'>;

/** Channel-owned fields: an import may change these, never tags, shipments or the invoice number. */
const CHANNEL_FIELDS = [
  'orderNumber',
  'orderedAt',
  'currency',
  'positions',
  'buyer',
  'invoiceAddress',
  'shippingAddress',
  'shippingCost',
  'paymentMethod',
  'payments',
  'payByDate',
  'shipDate',
  'comments',
  'vatId',
  'shippingProfileId',
  'deliverySourceCountryCode',
] as const;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Money is finite everywhere: a total that overflows is refused, never stored (it would read back as `null`). */
export function totalGrossOf(positions: OrderPosition[], shippingCost: number): number {
  const total = orderTotalGross(positions, shippingCost);
  if (!Number.isFinite(total))
    throw ProblemError.validation([{ path: 'positions', message: TOTAL_OVERFLOW_MESSAGE }], TOTAL_OVERFLOW_MESSAGE);
  return total;
}

/** What a merchant's change is called in a refusal. */
const CHANGE_NAMES = {
  shipment: 'shipments',
  positions: 'position edits',
  invoice: 'invoices',
  tags: 'tag changes',
} as const;

/**
 * The order aggregate. Every change goes through a method that refuses what is not allowed
 * (state machine from contracts, channel rules) and records history and events for the outbox.
 */
export class OrderAggregate {
  private readonly pendingEvents: OrderDomainEvent[] = [];
  private readonly pendingHistory: OrderHistoryEntry[] = [];

  constructor(
    private data: OrderData,
    private readonly history: OrderHistoryEntry[] = [],
  ) {}

  static importNew(input: {
    id: string;
    accountId: string;
    connectionId: string;
    channel: string;
    order: ChannelOrder;
    contentHash: string;
    lock: PositionLock;
    by: Actor;
  }): OrderAggregate {
    const { order, by } = input;
    const aggregate = new OrderAggregate({
      id: input.id,
      accountId: input.accountId,
      connectionId: input.connectionId,
      channel: input.channel,
      externalId: order.externalId,
      orderNumber: order.orderNumber,
      state: order.state as OrderStateId,
      orderedAt: order.orderedAt,
      currency: order.currency,
      positions: order.positions,
      positionsLocked: input.lock.locked,
      positionsLockRuleId: input.lock.locked ? input.lock.ruleId : undefined,
      buyer: order.buyer,
      invoiceAddress: order.invoiceAddress,
      shippingAddress: order.shippingAddress,
      shippingCost: order.shippingCost,
      paymentMethod: order.paymentMethod,
      payments: order.payments,
      payByDate: order.payByDate,
      shipDate: order.shipDate,
      tags: [],
      shipments: [],
      comments: order.comments,
      vatId: order.vatId,
      shippingProfileId: order.shippingProfileId,
      deliverySourceCountryCode: order.deliverySourceCountryCode,
      totalGross: totalGrossOf(order.positions, order.shippingCost),
      version: 1,
      createdAt: by.at,
      updatedAt: by.at,
      contentHash: input.contentHash,
      rawPayload: order.rawPayload,
    });
    aggregate.record(by, 'imported', `state ${ORDER_STATE_NAMES[aggregate.data.state]}`);
    aggregate.emit(Subjects.orderImported, {});
    return aggregate;
  }

  get snapshot(): Readonly<OrderData> {
    return this.data;
  }

  get fullHistory(): readonly OrderHistoryEntry[] {
    return [...this.history, ...this.pendingHistory];
  }

  /** Events and history entries produced since load; the repository writes them with the order. */
  get changes(): { events: OrderDomainEvent[]; history: OrderHistoryEntry[] } {
    return { events: [...this.pendingEvents], history: [...this.pendingHistory] };
  }

  /** Called once per write, before the outbox snapshot is taken: the stored version after the update. */
  advanceVersion(): void {
    this.data.version += 1;
  }

  hasHandled(commandId: string): boolean {
    return this.fullHistory.some((h) => h.commandId === commandId);
  }

  /** HUB-2: a changed import updates channel-owned fields; the state follows only along allowed transitions. */
  applyChannelUpdate(order: ChannelOrder, contentHash: string, by: Actor): string[] {
    const changed: string[] = [];
    const next = { ...this.data } as Record<string, unknown>;
    const incoming = order as unknown as Record<string, unknown>;
    for (const field of CHANNEL_FIELDS) {
      if (!same(next[field], incoming[field])) {
        next[field] = incoming[field];
        changed.push(field);
      }
    }
    this.data = { ...(next as unknown as OrderData), contentHash, rawPayload: order.rawPayload ?? this.data.rawPayload };
    this.data.totalGross = totalGrossOf(this.data.positions, this.data.shippingCost);
    const previousState = this.data.state;
    const channelState = order.state as OrderStateId;
    if (channelState !== previousState) {
      if (canTransition(previousState, channelState)) {
        this.data.state = channelState;
        changed.push('state');
        this.emit(Subjects.orderStateChanged, { previousState, state: channelState });
      } else {
        this.record(
          by,
          'channel-state-ignored',
          `channel reports ${ORDER_STATE_NAMES[channelState]}, hub keeps ${ORDER_STATE_NAMES[previousState]}`,
        );
      }
    }
    if (changed.length) {
      this.touch(by);
      this.record(by, 'updated', `changed ${changed.join(', ')}`);
      this.emit(Subjects.orderUpdated, { changedFields: changed });
    }
    return changed;
  }

  changeState(to: OrderStateId, by: Actor, comment?: string, reason?: string): void {
    const from = this.data.state;
    if (from === to) throw ProblemError.conflict(`order is already ${ORDER_STATE_NAMES[to]}`);
    if (!canTransition(from, to)) {
      throw ProblemError.conflict(`an order cannot go from ${ORDER_STATE_NAMES[from]} to ${ORDER_STATE_NAMES[to]}`);
    }
    this.data.state = to;
    this.touch(by);
    this.record(by, 'state-changed', `${ORDER_STATE_NAMES[from]} → ${ORDER_STATE_NAMES[to]}${comment ? `: ${comment}` : ''}`);
    this.emit(Subjects.orderStateChanged, { previousState: from, state: to });
    if (to === OrderState.Shipped) this.emit(Subjects.orderShipped, { previousState: from, shipments: this.data.shipments });
    if (to === OrderState.Cancelled) this.emit(Subjects.orderCancelled, { previousState: from, reason: reason ?? comment });
  }

  /**
   * "Resend write-back": the fact the channels act on for the current state, published again and marked
   * `resend` (connectors ask the channel before writing, so a state is never written twice).
   */
  resendWriteBack(by: Actor): string {
    const state = this.data.state;
    const previousState = this.stateBefore(state);
    const resend = { resend: true as const, previousState };
    let subject: OrderFactSubject;
    if (state === OrderState.Shipped) {
      subject = Subjects.orderShipped;
      this.emit(subject, { ...resend, shipments: this.data.shipments });
    } else if (state === OrderState.Cancelled) {
      subject = Subjects.orderCancelled;
      this.emit(subject, { ...resend, reason: this.lastCancelReason() });
    } else {
      subject = Subjects.orderStateChanged;
      this.emit(subject, { ...resend, state });
    }
    this.touch(by);
    this.record(by, 'write-back-resend', `${subject} for state ${ORDER_STATE_NAMES[state]} published again`);
    return subject;
  }

  /** The state the order left for `state` (from its history); the state itself when the history does not say. */
  private stateBefore(state: OrderStateId): OrderStateId {
    const byName = new Map(Object.entries(ORDER_STATE_NAMES).map(([id, name]) => [name, Number(id) as OrderStateId]));
    const arrow = ` → ${ORDER_STATE_NAMES[state]}`;
    const entry = this.fullHistory.findLast((h) => h.action === 'state-changed' && h.detail?.includes(arrow));
    const from = entry?.detail?.slice(0, entry.detail.indexOf(arrow));
    return (from ? byName.get(from) : undefined) ?? state;
  }

  private lastCancelReason(): string | undefined {
    const entry = this.fullHistory.findLast(
      (h) => h.action === 'state-changed' && h.detail?.includes(`→ ${ORDER_STATE_NAMES[OrderState.Cancelled]}: `),
    );
    return entry?.detail?.split(': ').slice(1).join(': ') || undefined;
  }

  canMoveTo(to: OrderStateId): boolean {
    return canTransition(this.data.state, to);
  }

  /** OTTO-8 and the state machine decide; the cancellation keeps the previous state for OTTO-10. */
  cancel(by: Actor, reason?: string, positionExternalIds?: string[]): void {
    assertCancellable(this.data.channel, positionExternalIds);
    this.changeState(OrderState.Cancelled, by, reason, reason);
  }

  /** Adds a shipment unless one with the same type and tracking number exists; returns the new one. */
  addShipment(input: NewShipment, by: Actor, id: string): Shipment | undefined {
    this.assertNotFinal('shipment');
    const duplicate = this.data.shipments.find((s) => s.trackingNumber === input.trackingNumber && s.type === input.type);
    if (duplicate) return undefined;
    if (this.data.shipments.length >= OrderLimits.shipmentsPerOrder) {
      throw ProblemError.limitExceeded(`an order holds at most ${OrderLimits.shipmentsPerOrder} shipments`);
    }
    const shipment: Shipment = {
      id,
      type: input.type,
      carrier: input.carrier,
      trackingNumber: input.trackingNumber,
      ...(input.shippingProfile ? { shippingProfile: input.shippingProfile } : {}),
      ...(input.positionExternalIds ? { positionExternalIds: input.positionExternalIds } : {}),
      createdAt: by.at,
      source: by.actor,
    };
    this.data.shipments = [...this.data.shipments, shipment];
    this.touch(by);
    this.record(by, 'shipment-added', `${shipment.type} ${shipment.carrier} ${shipment.trackingNumber}`);
    this.emit(Subjects.orderShipmentAdded, { shipment });
    return shipment;
  }

  /** HUB-4: returns whether anything changed (no event for a no-op). */
  changeTags(add: string[], remove: string[], by: Actor): boolean {
    const current = new Set(this.data.tags);
    const added = [...new Set(add)].filter((t) => !current.has(t) && !remove.includes(t));
    const removed = [...new Set(remove)].filter((t) => current.has(t));
    if (!added.length && !removed.length) return false;
    this.assertNotFinal('tags');
    const tags = [...this.data.tags.filter((t) => !removed.includes(t)), ...added];
    if (tags.length > OrderLimits.tagsPerOrder) {
      throw ProblemError.limitExceeded(`an order holds at most ${OrderLimits.tagsPerOrder} tags; it would have ${tags.length}`);
    }
    this.data.tags = tags;
    this.touch(by);
    this.record(by, 'tags-changed', [...added.map((t) => `+${t}`), ...removed.map((t) => `-${t}`)].join(' '));
    // The change, not the list: the order after the change travels with every event anyway.
    this.emit(Subjects.orderTagsChanged, { added, removed });
    return true;
  }

  /** Channel rules (OTTO-2, SSP-2) are checked by the caller before a number is drawn. */
  assertNotInvoiced(): void {
    this.assertNotFinal('invoice');
    if (this.data.invoiceNumber) throw ProblemError.conflict(`order already has invoice ${this.data.invoiceNumber}`);
  }

  assignInvoiceNumber(invoiceNumber: string, by: Actor): void {
    this.assertNotInvoiced();
    this.data.invoiceNumber = invoiceNumber;
    this.touch(by);
    this.record(by, 'invoice-created', invoiceNumber);
    this.emit(Subjects.orderUpdated, { changedFields: ['invoiceNumber'] });
  }

  /** SSP-2 / OTTO-1: locked positions cannot be edited through the hub. */
  editPositions(positions: OrderPosition[], by: Actor): void {
    this.assertNotFinal('positions');
    if (this.data.positionsLocked) {
      throw ProblemError.channelRule(this.data.positionsLockRuleId ?? 'SSP-2', 'the positions of this order are locked');
    }
    this.data.positions = positions;
    this.data.totalGross = totalGrossOf(positions, this.data.shippingCost);
    this.touch(by);
    this.record(by, 'positions-edited', `${positions.length} positions`);
    this.emit(Subjects.orderUpdated, { changedFields: ['positions', 'totalGross'] });
  }

  /** A connector's write-back outcome is kept in the history, never dropped. */
  recordChannelActivity(report: { action: string; outcome: HistoryEntry['outcome']; detail?: string; ruleId?: string }, by: Actor): void {
    this.touch(by);
    this.record(by, report.action, report.detail, report.outcome, report.ruleId);
    this.emit(Subjects.orderChannelActivity, {
      action: report.action,
      outcome: report.outcome,
      ...(report.detail !== undefined ? { detail: report.detail } : {}),
      ...(report.ruleId !== undefined ? { ruleId: report.ruleId } : {}),
    });
  }

  get stateName(): string {
    return ORDER_STATE_NAMES[this.data.state];
  }

  get isFinal(): boolean {
    return isFinalState(this.data.state);
  }

  /** Cancelled, deleted and archived orders are final: the merchant reads why a change is refused. */
  private assertNotFinal(change: keyof typeof CHANGE_NAMES): void {
    if (!this.isFinal) return;
    const state = ORDER_STATE_NAMES[this.data.state];
    throw ProblemError.conflict(`This order is ${state}; a ${state} order takes no more ${CHANGE_NAMES[change]} (final state).`);
  }

  /**
   * Every event carries the order, so the order must stay small enough for the event to fit into one
   * NATS message (OrderLimits). The writer asks before it stores a change.
   */
  assertWithinLimits(): void {
    const bytes = jsonBytes({ ...this.data, rawPayload: undefined });
    if (bytes > OrderLimits.orderBytes) {
      throw ProblemError.limitExceeded(`the order would take ${bytes} bytes; an order holds at most ${OrderLimits.orderBytes}`);
    }
  }

  private touch(by: Actor): void {
    this.data.updatedAt = by.at;
  }

  private record(by: Actor, action: string, detail?: string, outcome: HistoryEntry['outcome'] = 'ok', ruleId?: string): void {
    this.pendingHistory.push({
      at: by.at,
      actor: by.actor,
      action,
      outcome,
      ...(detail !== undefined ? { detail } : {}),
      ...(ruleId !== undefined ? { ruleId } : {}),
      ...(by.commandId ? { commandId: by.commandId } : {}),
    });
  }

  private emit<S extends OrderFactSubject>(subject: S, data: OrderFactData<S>): void {
    this.pendingEvents.push({ subject, data } as OrderDomainEvent);
  }
}
