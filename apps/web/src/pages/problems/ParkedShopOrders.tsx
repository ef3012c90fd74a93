import { Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, call, type ParkedShopOrder } from '../../api/client';
import { ProblemAlert } from '../../api/problem-text';
import { useAction, useApi } from '../../api/use-api';
import { useI18n } from '../../i18n/i18n';
import { dateTime } from '../orders/format';

interface Listed extends ParkedShopOrder {
  channelName: string;
}

type Notice = { text: string; orderId?: string };

/**
 * Shop orders a connector could not read (no positions, no order date), per connection of the
 * account: the reason, "retry" (read from the channel again once it is fixed there) and "drop"
 * (handled by hand). Connection types that never park list none.
 */
export function ParkedShopOrders({ version }: { version: number }) {
  const { t, locale } = useI18n();
  const list = useApi(async (): Promise<Listed[]> => {
    const connections = (await call(api.GET('/api/v1/connections'))).items;
    const pages = await Promise.all(
      connections.map(async (c) => {
        const page = await call(api.GET('/api/v1/connections/{id}/parked-orders', { params: { path: { id: c.id } } }));
        return page.items.map((p) => ({ ...p, channelName: String(c.settings.name ?? c.type) }));
      }),
    );
    return pages.flat();
  }, [version]);
  const [notice, setNotice] = useState<Notice | undefined>();
  const act = useAction(async (p: Listed, how: 'retry' | 'drop'): Promise<Notice> => {
    const path = { params: { path: { id: p.connectionId, externalId: p.externalId } } };
    if (how === 'drop') {
      await call(api.DELETE('/api/v1/connections/{id}/parked-orders/{externalId}', path));
      return { text: t('problems.shopOrderDropped') };
    }
    const result = await call(api.POST('/api/v1/connections/{id}/parked-orders/{externalId}/retry', path));
    return result.outcome === 'imported'
      ? { text: t('problems.shopOrderImported'), orderId: result.orderId }
      : { text: t('problems.shopOrderStillParked', { reason: result.reason ?? '' }) };
  });
  async function run(p: Listed, how: 'retry' | 'drop') {
    setNotice(undefined);
    const done = await act.execute(p, how);
    if (done) {
      setNotice(done);
      list.reload();
    }
  }
  const items = list.data ?? [];
  return (
    <Stack>
      <Title order={2}>{t('problems.shopOrders')}</Title>
      <Text>{t('problems.shopOrdersIntro')}</Text>
      <div aria-live="polite">
        {notice && (
          <Text role="status" c="teal.9" data-testid="shop-order-notice">
            {notice.text}{' '}
            {notice.orderId && (
              <Anchor component={Link} href={`/orders/${notice.orderId}`}>
                {t('problems.openOrder')}
              </Anchor>
            )}
          </Text>
        )}
        <ProblemAlert error={list.error ?? act.error} />
      </div>
      {list.data && items.length === 0 && <Text data-testid="no-shop-orders">{t('problems.noShopOrders')}</Text>}
      {items.length > 0 && (
        <Table data-testid="parked-shop-orders">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('problems.parkedSince')}</Table.Th>
              <Table.Th scope="col">{t('orders.channel')}</Table.Th>
              <Table.Th scope="col">{t('orders.number')}</Table.Th>
              <Table.Th scope="col">{t('problems.reason')}</Table.Th>
              <Table.Th scope="col">{t('problems.attempts')}</Table.Th>
              <Table.Th scope="col">{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((p) => (
              <Table.Tr key={`${p.connectionId}/${p.externalId}`} data-testid="parked-shop-order" data-external-id={p.externalId}>
                <Table.Td>{dateTime(p.parkedAt, locale)}</Table.Td>
                <Table.Td>{p.channelName}</Table.Td>
                <Table.Td>{p.orderNumber ?? p.externalId}</Table.Td>
                <Table.Td>{p.reason}</Table.Td>
                <Table.Td>{p.attempts}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button size="xs" loading={act.busy} onClick={() => run(p, 'retry')}>
                      {t('problems.shopOrderRetry')}
                    </Button>
                    <Button size="xs" color="red.9" variant="outline" loading={act.busy} onClick={() => run(p, 'drop')}>
                      {t('problems.drop')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
