import { Injectable } from '@nestjs/common';
import type { WemaloClient } from './wemalo-client';
import type { WemaloDispatcher } from './wemalo-types';

/** wemalo's dispatcher profiles change rarely: one call per connection every few minutes is enough. */
@Injectable()
export class ProfilesCache {
  private readonly entries = new Map<string, { at: number; value: Promise<WemaloDispatcher[]> }>();

  get(client: WemaloClient, maxAgeMs = 5 * 60_000): Promise<WemaloDispatcher[]> {
    const hit = this.entries.get(client.connectionId);
    if (hit && Date.now() - hit.at < maxAgeMs) return hit.value;
    const value = client.profiles();
    this.entries.set(client.connectionId, { at: Date.now(), value });
    value.catch(() => this.entries.delete(client.connectionId));
    return value;
  }
}
