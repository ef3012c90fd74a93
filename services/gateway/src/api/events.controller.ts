import { Controller, Inject, type MessageEvent, Sse } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { interval, map, merge, type Observable } from 'rxjs';
import type { Caller } from '../auth/api-key-authenticator';
import { ApiKeyAuth, CurrentCaller } from '../auth/api-key.guard';
import { LiveFeed } from '../live/live-feed';

/** Proxies and load balancers close idle connections (often after 60 s); a ping keeps the stream open. */
const PING_MS = 25_000;

/** The web app's live view: order events and parked mails of the caller's account as server-sent events. */
@ApiTags('Events')
@ApiKeyAuth()
@Controller('api/v1/events')
export class EventsController {
  constructor(@Inject(LiveFeed) private readonly feed: LiveFeed) {}

  @Sse()
  @ApiOperation({
    summary:
      'Order events of the account and its parked mails as server-sent events (type = event subject, data = { orderId, connectionId } or, for `mail.parked`, { mailId })',
    description:
      'Nothing is replayed: a client fetches the current state and then refetches what an event names. `ping` events keep the stream open.',
  })
  @ApiProduces('text/event-stream')
  @ApiResponse({ status: 200, description: 'An endless text/event-stream' })
  events(@CurrentCaller() caller: Caller): Observable<MessageEvent> {
    return merge(
      this.feed.forAccount(caller.accountId).pipe(map((event): MessageEvent => ({ type: event.type, data: event }))),
      interval(PING_MS).pipe(map((): MessageEvent => ({ type: 'ping', data: {} }))),
    );
  }
}
