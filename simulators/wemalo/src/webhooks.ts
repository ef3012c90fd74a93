import { invalid, missingParameter, notFound } from './wemalo-errors';

export const WEBHOOK_EVENTS = ['status_update', 'stock_change', 'refurbishment_action', 'trackingnumber_added'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookRegistration {
  event: WebhookEvent;
  payload: string;
  token: string;
  email: string;
  consecutiveFailures: number;
}

export interface WebhookAttempt {
  event: WebhookEvent;
  url: string;
  eventData: Record<string, unknown>;
  attempt: number;
  ok: boolean;
  status?: number;
  error?: string;
  at: Date;
}

/** The mail wemalo sends to the registration's address when it gives up on a hook. */
export interface DeactivationNotice {
  event: WebhookEvent;
  email: string;
  subject: string;
  at: Date;
}

export interface WebhookPolicy {
  /** wemalo waits up to 10 s for a success response. */
  timeoutMs: number;
  /** "retries a few minutes later" */
  retryDelayMs: number;
  /** After this many failed attempts in a row the hook is unregistered. */
  maxConsecutiveFailures: number;
}

/**
 * Registered hooks (one per event and client) and their delivery: POST `{ token, eventData }`,
 * retried after a failure until it succeeds or the hook is unregistered after 10 failures in a row.
 */
export class WebhookDispatcher {
  private readonly hooks = new Map<WebhookEvent, WebhookRegistration>();
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly attempts: WebhookAttempt[] = [];
  readonly notices: DeactivationNotice[] = [];
  private inFlight = 0;

  constructor(
    private readonly policy: WebhookPolicy,
    private readonly now: () => Date,
  ) {}

  register(eventName: string, body: Record<string, unknown>): WebhookRegistration {
    const event = parseEvent(eventName);
    const payload = typeof body.payload === 'string' ? body.payload.trim() : '';
    if (!payload) throw missingParameter('payload');
    try {
      const url = new URL(payload);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    } catch {
      throw invalid('payload', 'payload must be an http(s) URL');
    }
    const registration: WebhookRegistration = {
      event,
      payload,
      token: typeof body.token === 'string' ? body.token : '',
      email: typeof body.email === 'string' ? body.email : '',
      consecutiveFailures: 0,
    };
    this.hooks.set(event, registration);
    return registration;
  }

  unregister(eventName: string): void {
    const event = parseEvent(eventName);
    if (!this.hooks.delete(event)) throw notFound('event', `No webhook registered for ${event}.`);
  }

  list(): WebhookRegistration[] {
    return [...this.hooks.values()];
  }

  emit(event: WebhookEvent, eventData: Record<string, unknown>): void {
    const hook = this.hooks.get(event);
    if (hook) void this.deliver(hook, eventData, 1);
  }

  /** Resolves once no delivery is running or waiting for a retry (for tests and shutdown). */
  get pending(): number {
    return this.inFlight + this.timers.size;
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  clear(): void {
    this.stop();
    this.hooks.clear();
    this.attempts.length = 0;
    this.notices.length = 0;
  }

  private async deliver(hook: WebhookRegistration, eventData: Record<string, unknown>, attempt: number): Promise<void> {
    // A hook replaced or removed meanwhile gets nothing more.
    if (this.hooks.get(hook.event) !== hook) return;
    this.inFlight += 1;
    let ok = false;
    let status: number | undefined;
    let error: string | undefined;
    try {
      const res = await fetch(hook.payload, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: hook.token, eventData }),
        signal: AbortSignal.timeout(this.policy.timeoutMs),
      });
      status = res.status;
      ok = res.ok;
      await res.body?.cancel().catch(() => undefined);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    } finally {
      this.inFlight -= 1;
    }
    this.attempts.push({
      event: hook.event,
      url: hook.payload,
      eventData,
      attempt,
      ok,
      at: this.now(),
      ...(status !== undefined ? { status } : {}),
      ...(error ? { error } : {}),
    });
    if (this.hooks.get(hook.event) !== hook) return;
    if (ok) {
      hook.consecutiveFailures = 0;
      return;
    }
    hook.consecutiveFailures += 1;
    if (hook.consecutiveFailures >= this.policy.maxConsecutiveFailures) {
      this.hooks.delete(hook.event);
      this.notices.push({ event: hook.event, email: hook.email, subject: `webhook event '${hook.event}' deactivated !`, at: this.now() });
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.deliver(hook, eventData, attempt + 1);
    }, this.policy.retryDelayMs);
    timer.unref();
    this.timers.add(timer);
  }
}

function parseEvent(name: string): WebhookEvent {
  if (!(WEBHOOK_EVENTS as readonly string[]).includes(name)) {
    throw invalid('event', `unknown event ${name}; one of ${WEBHOOK_EVENTS.join(', ')}`);
  }
  return name as WebhookEvent;
}
