import { Anchor, Badge, Card, Center, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'wouter';
import { api, call, type Order } from '../../api/client';
import { ProblemAlert } from '../../api/problem-text';
import { useApi } from '../../api/use-api';
import { useI18n } from '../../i18n/i18n';
import { useLive } from '../../live/live';
import { REFUSED_COLOR, WAITING_COLOR } from '../../theme';
import { OrderActions } from './OrderActions';
import { ResendWriteBack } from './ResendWriteBack';
import { addressLines, dateTime, money } from './format';

type HistoryEntry = NonNullable<Order['history']>[number];
/** What the order itself records; everything else a connector reports is a write-back outcome. */
const ORDER_OWN_ACTIONS = new Set([
  'imported',
  'updated',
  'state-changed',
  'shipment-added',
  'tags-changed',
  'invoice-created',
  'positions-edited',
]);
const isWriteBack = (h: HistoryEntry) => h.actor.startsWith('connector:') && !ORDER_OWN_ACTIONS.has(h.action);
/** A write-back the channel has not taken: the latest report of some connector action is waiting or failed. */
function writeBackPending(newestFirst: HistoryEntry[]): boolean {
  const latest = new Map<string, HistoryEntry>();
  for (const h of newestFirst) if (!latest.has(`${h.actor} ${h.action}`)) latest.set(`${h.actor} ${h.action}`, h);
  return [...latest.values()].some((h) => h.outcome === 'waiting' || h.outcome === 'failed');
}
const OUTCOME_COLOR = { ok: 'teal.9', refused: REFUSED_COLOR, failed: 'red.9', waiting: WAITING_COLOR } as const;

function HistoryTable({ entries, testId }: { entries: HistoryEntry[]; testId: string }) {
  const { t, locale } = useI18n();
  return (
    <Table data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('order.at')}</Table.Th>
          <Table.Th scope="col">{t('order.actor')}</Table.Th>
          <Table.Th scope="col">{t('order.action')}</Table.Th>
          <Table.Th scope="col">{t('order.outcome')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {entries.map((h, i) => (
          <Table.Tr key={`${h.at}-${i}`}>
            <Table.Td>{dateTime(h.at, locale)}</Table.Td>
            <Table.Td>{h.actor}</Table.Td>
            <Table.Td>
              {h.action}
              {h.detail && <Text size="sm">{h.detail}</Text>}
            </Table.Td>
            <Table.Td>
              <Badge variant="filled" color={OUTCOME_COLOR[h.outcome ?? 'ok']}>
                {t(`order.outcome.${h.outcome ?? 'ok'}`)}
              </Badge>
              {h.ruleId && <Text size="sm">{t('order.rule', { rule: h.ruleId })}</Text>}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export default function OrderPage() {
  const { t, locale } = useI18n();
  const { id } = useParams<{ id: string }>();
  const { version } = useLive();
  const loaded = useApi(() => call(api.GET('/api/v1/orders/{id}', { params: { path: { id } } })), [id, version]);
  const [order, setOrder] = useState<Order | undefined>();
  useEffect(() => setOrder(loaded.data), [loaded.data]);

  if (loaded.error && !order) return <ProblemAlert error={loaded.error} />;
  if (!order)
    return (
      <Center>
        <Loader aria-label={t('app.loading')} />
      </Center>
    );
  const history = [...(order.history ?? [])].reverse();
  const writeBacks = history.filter(isWriteBack);
  return (
    <Stack>
      <Anchor component={Link} href="/orders">
        ← {t('orders.title')}
      </Anchor>
      <Group justify="space-between">
        <Title order={1}>
          {t('orders.number')} {order.orderNumber ?? order.externalId}
        </Title>
        <Badge size="lg" variant="filled" color="indigo.9" data-testid="order-state">
          {t(`state.${order.state}` as 'state.1')}
        </Badge>
      </Group>
      <Text>
        {dateTime(order.orderedAt, locale)} · {order.channel} · {money(order.totalGross, order.currency, locale)}
        {order.invoiceNumber && ` · ${t('order.invoiceNumber')} ${order.invoiceNumber}`}
      </Text>
      <OrderActions order={order} onChanged={setOrder} />

      <Title order={2}>{t('order.positions')}</Title>
      {order.positionsLocked && <Text size="sm">{t('order.locked')}</Text>}
      <Table data-testid="positions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('order.sku')}</Table.Th>
            <Table.Th scope="col">{t('order.titleCol')}</Table.Th>
            <Table.Th scope="col">{t('order.quantity')}</Table.Th>
            <Table.Th scope="col">{t('order.unitPrice')}</Table.Th>
            <Table.Th scope="col">{t('order.lineTotal')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {order.positions.map((p, i) => (
            <Table.Tr key={p.externalId ?? i}>
              <Table.Td>{p.sku ?? t('common.none')}</Table.Td>
              <Table.Td>{p.title}</Table.Td>
              <Table.Td>{p.quantity}</Table.Td>
              <Table.Td>{money(p.unitPrice, p.currency ?? order.currency, locale)}</Table.Td>
              <Table.Td>{money(p.totalPrice, p.currency ?? order.currency, locale)}</Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Td />
            <Table.Td>{t('order.shippingCost')}</Table.Td>
            <Table.Td />
            <Table.Td />
            <Table.Td>{money(order.shippingCost, order.currency, locale)}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>

      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Card withBorder>
          <Title order={2} size="h4">
            {t('order.invoiceAddress')}
          </Title>
          {addressLines(order.invoiceAddress ?? order.buyer).map((l) => (
            <Text key={l}>{l}</Text>
          ))}
        </Card>
        <Card withBorder>
          <Title order={2} size="h4">
            {t('order.shippingAddress')}
          </Title>
          {addressLines(order.shippingAddress ?? order.buyer).map((l) => (
            <Text key={l}>{l}</Text>
          ))}
        </Card>
        <Card withBorder>
          <Title order={2} size="h4">
            {t('order.payments')}
          </Title>
          <Text>
            {t('order.paymentMethod')}: {order.paymentMethod ?? t('common.none')}
          </Text>
          {order.payments.map((p, i) => (
            <Text key={i}>
              {p.method} · {money(p.amount, order.currency, locale)} {p.paidAt && `· ${dateTime(p.paidAt, locale)}`}
            </Text>
          ))}
        </Card>
      </SimpleGrid>

      <Title order={2}>{t('order.shipments')}</Title>
      {order.shipments.length === 0 ? (
        <Text>{t('order.noShipments')}</Text>
      ) : (
        <Table data-testid="shipments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('order.shipmentType')}</Table.Th>
              <Table.Th scope="col">{t('order.carrier')}</Table.Th>
              <Table.Th scope="col">{t('order.trackingNumber')}</Table.Th>
              <Table.Th scope="col">{t('order.at')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {order.shipments.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>{s.type === 'return' ? t('order.return') : t('order.shipment')}</Table.Td>
                <Table.Td>{s.carrier}</Table.Td>
                <Table.Td>{s.trackingNumber}</Table.Td>
                <Table.Td>{dateTime(s.createdAt, locale)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      <Title order={2}>{t('order.writeBacks')}</Title>
      <ResendWriteBack order={order} pending={writeBackPending(writeBacks)} onChanged={setOrder} />
      {writeBacks.length === 0 ? <Text>{t('order.noWriteBacks')}</Text> : <HistoryTable entries={writeBacks} testId="write-backs" />}

      <Title order={2}>{t('order.history')}</Title>
      <HistoryTable entries={history} testId="history" />
    </Stack>
  );
}
