import { Badge, Group, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, call, type Connection, type Schemas } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useI18n } from '../../i18n/i18n';
import { useLive } from '../../live/live';
import { WAITING_COLOR } from '../../theme';

export type HealthView = Schemas['ConnectionHealth'];

/** A failing poll makes no order event: health is also read again on this schedule. */
const HEALTH_REFRESH_MS = 10_000;

const startOfLocalDay = () => {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.toISOString();
};

/** Every connection's health (API: GET /connection-health), read again on order events and every few seconds. */
export function useConnectionHealth() {
  const { version } = useLive();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), HEALTH_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const health = useApi(
    () => call(api.GET('/api/v1/connection-health', { params: { query: { since: startOfLocalDay() } } })),
    [version, tick],
  );
  return new Map((health.data?.items ?? []).map((h) => [h.connectionId, h]));
}

const STATUS_COLOR = { ok: 'teal.9', failing: 'red.9', unknown: 'gray.7' } as const;
const BREAKER_COLOR = { closed: 'teal.9', halfOpen: WAITING_COLOR, open: 'red.9' } as const;

/** One connection: paused/import flags, last success, last error with reason, failures in a row, breaker, orders today. */
export function ConnectionHealth({ connection, health }: { connection: Connection; health?: HealthView }) {
  const { t, locale } = useI18n();
  const when = (iso: string) => new Date(iso).toLocaleString(locale);
  const active = connection.settings.active !== false;
  const importing = connection.settings.importOrders !== false;
  return (
    <Stack gap={4} data-testid="channel-health" data-status={health?.status ?? 'unknown'}>
      <Group gap="xs">
        <Badge color={active ? 'teal.9' : 'gray.7'} variant="filled">
          {active ? t('channels.active') : t('channels.paused')}
        </Badge>
        {!importing && (
          <Badge color="orange.9" variant="filled">
            {t('channels.importOff')}
          </Badge>
        )}
        {health && (
          <Badge color={STATUS_COLOR[health.status]} variant="filled">
            {t(`health.${health.status}`)}
          </Badge>
        )}
        {health?.breaker && (
          <Badge color={BREAKER_COLOR[health.breaker]} variant="outline">
            {t('health.breaker')}: {t(`health.breaker.${health.breaker}`)}
          </Badge>
        )}
      </Group>
      {health && (
        <Text size="xs" data-testid="orders-today">
          {t('health.ordersToday', { count: String(health.ordersImportedSince) })}
        </Text>
      )}
      {health?.lastSuccessAt && (
        <Text size="xs">
          {t('health.lastSuccess')}: {when(health.lastSuccessAt)}
        </Text>
      )}
      {health?.lastError && (
        <Text size="xs" c="red.9" data-testid="last-error">
          {t('health.lastError')}: {when(health.lastError.at)} – {health.lastError.reason}
          {health.consecutiveFailures > 0 && ` (${t('health.failures', { count: String(health.consecutiveFailures) })})`}
        </Text>
      )}
    </Stack>
  );
}
