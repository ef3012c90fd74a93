import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { WEMALO_CONFIG, type WemaloConfig } from '../config';

/** The token and URL wemalo's webhook deliveries carry, per connection. */
@Injectable()
export class WebhookTokens {
  constructor(@Inject(WEMALO_CONFIG) private readonly config: WemaloConfig) {}

  /** Derived, so every replica knows it without storing it. */
  token(connectionId: string): string {
    return createHmac('sha256', `${this.config.SECRETS_ACTIVE_KEY}|${this.config.SECRETS_KEYS}`)
      .update(`wemalo-webhook|${connectionId}`)
      .digest('base64url');
  }

  check(connectionId: string, token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const expected = Buffer.from(this.token(connectionId));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  /** One URL per connection and event: wemalo's body does not name the event. */
  url(connectionId: string, event: string): string | undefined {
    const base = this.config.WEMALO_WEBHOOK_BASE_URL;
    return base ? `${base.replace(/\/+$/, '')}/webhooks/wemalo/${encodeURIComponent(connectionId)}/${event}` : undefined;
  }
}
