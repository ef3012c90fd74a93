import { Badge } from '@mantine/core';
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { authorizationHeader } from '../api/client';
import { useI18n } from '../i18n/i18n';

/** What the gateway's event stream says happened (`GET /api/v1/events`, server-sent events). */
export interface LiveEvent {
  type: string;
  orderId?: string;
  connectionId?: string;
}

interface Live {
  /** Bumped whenever something changed: pages refetch what they show. */
  version: number;
  /** True while the event stream is connected; false while the app falls back to polling. */
  streaming: boolean;
}

const LiveContext = createContext<Live>({ version: 0, streaming: false });
export const useLive = () => useContext(LiveContext);

const POLL_MS = 5_000;
const COALESCE_MS = 300;

/**
 * Reads the event stream with fetch (EventSource cannot send the Authorization header) and parses
 * its `data:` lines; when the stream is not available it polls instead, so lists still update
 * without reload.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const [version, setVersion] = useState(0);
  const [streaming, setStreaming] = useState(false);
  useEffect(() => {
    const abort = new AbortController();
    let pending: ReturnType<typeof setTimeout> | undefined;
    const bump = () => {
      pending ??= setTimeout(() => {
        pending = undefined;
        setVersion((v) => v + 1);
      }, COALESCE_MS);
    };
    let poller: ReturnType<typeof setInterval> | undefined;
    const poll = () => {
      poller ??= setInterval(bump, POLL_MS);
    };
    void (async () => {
      while (!abort.signal.aborted) {
        try {
          const res = await fetch('/api/v1/events', {
            headers: { ...authorizationHeader(), Accept: 'text/event-stream' },
            signal: abort.signal,
          });
          if (!res.ok || !res.body) {
            poll();
            return;
          }
          clearInterval(poller);
          poller = undefined;
          setStreaming(true);
          await readEvents(res.body, bump);
        } catch {
          // the stream broke (gateway restart): poll until it is back
        }
        setStreaming(false);
        poll();
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    })();
    return () => {
      abort.abort();
      clearInterval(poller);
      clearTimeout(pending);
    };
  }, []);
  return <LiveContext.Provider value={{ version, streaming }}>{children}</LiveContext.Provider>;
}

async function readEvents(body: ReadableStream<Uint8Array>, onEvent: () => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split('\n');
      // `ping` only keeps the connection open
      if (lines.some((line) => line.startsWith('data:')) && !lines.includes('event: ping')) onEvent();
    }
  }
}

export function LiveIndicator() {
  const { t } = useI18n();
  const { streaming } = useLive();
  return (
    <Badge data-testid="live" color={streaming ? 'teal.9' : 'gray.7'} variant="filled" title={streaming ? t('app.live') : t('app.liveOff')}>
      {streaming ? t('app.live') : t('app.liveOff')}
    </Badge>
  );
}
