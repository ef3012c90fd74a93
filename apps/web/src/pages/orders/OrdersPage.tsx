import { Badge, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { api, call, type Order } from '../../api/client';
import { ProblemAlert } from '../../api/problem-text';
import { useApi } from '../../api/use-api';
import { useI18n } from '../../i18n/i18n';
import { useLive } from '../../live/live';
import { dateTime, money, ORDER_STATES, personName } from './format';
import { pushedOutOfFirstPage } from './pushed-out';

interface Filters {
  state: string;
  connectionId: string;
  tag: string;
  from: string;
  to: string;
  search: string;
}
const NO_FILTERS: Filters = { state: '', connectionId: '', tag: '', from: '', to: '', search: '' };
const PAGE_SIZE = 50;

function query(f: Filters, cursor?: string) {
  return {
    ...(f.state ? { state: f.state } : {}),
    ...(f.connectionId ? { connectionId: f.connectionId } : {}),
    ...(f.tag.trim() ? { tag: f.tag.trim() } : {}),
    ...(f.from ? { from: new Date(`${f.from}T00:00:00`).toISOString() } : {}),
    ...(f.to ? { to: new Date(new Date(`${f.to}T00:00:00`).getTime() + 86_400_000).toISOString() } : {}),
    ...(f.search.trim() ? { search: f.search.trim() } : {}),
    ...(cursor ? { cursor } : {}),
    limit: PAGE_SIZE,
  };
}

/** Orders, newest first, keyset-paged ("load more" follows nextCursor); the first page follows live events. */
export default function OrdersPage() {
  const { t, locale } = useI18n();
  const { version } = useLive();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  // what is typed into tag and search: applied after a pause, or at once with Enter
  const [typed, setTyped] = useState({ tag: '', search: '' });
  const [more, setMore] = useState<{ items: Order[]; cursor?: string }>({ items: [] });
  const connections = useApi(() => call(api.GET('/api/v1/connections')), []);
  const first = useApi(() => call(api.GET('/api/v1/orders', { params: { query: query(filters) } })), [filters, version]);

  // a new filter starts over; a live update keeps the pages loaded beyond the first
  useEffect(() => setMore({ items: [], cursor: undefined }), [filters]);
  const shownFirst = useRef<Order[]>([]);
  useEffect(() => {
    const previous = shownFirst.current;
    shownFirst.current = first.data?.items ?? [];
    setMore((m) => {
      if (m.items.length === 0) return m;
      const pushedOut = pushedOutOfFirstPage(previous, shownFirst.current, m.items);
      return pushedOut.length ? { ...m, items: [...pushedOut, ...m.items] } : m;
    });
  }, [first.data]);
  const applyTyped = () => setFilters((f) => (f.search === typed.search && f.tag === typed.tag ? f : { ...f, ...typed }));
  useEffect(() => {
    const timer = setTimeout(applyTyped, 300);
    return () => clearTimeout(timer);
  }, [typed]);

  const firstItems = first.data?.items ?? [];
  const seen = new Set(firstItems.map((o) => o.id));
  const orders = [...firstItems, ...more.items.filter((o) => !seen.has(o.id))];
  const cursor = more.cursor ?? (more.items.length === 0 ? first.data?.nextCursor : undefined);
  const names = new Map((connections.data?.items ?? []).map((c) => [c.id, String(c.settings.name ?? c.type)]));

  async function loadMore() {
    if (!cursor) return;
    const page = await call(api.GET('/api/v1/orders', { params: { query: query(filters, cursor) } }));
    setMore((m) => ({ items: [...m.items, ...page.items], cursor: page.nextCursor ?? '' }));
  }
  const set = (key: keyof Filters) => (value: string) => setFilters((f) => ({ ...f, [key]: value }));

  return (
    <Stack>
      <Title order={1}>{t('orders.title')}</Title>
      <Group
        component="form"
        align="end"
        role="search"
        aria-label={t('orders.filters')}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          applyTyped();
        }}
      >
        <NativeSelect
          label={t('orders.state')}
          value={filters.state}
          onChange={(e) => set('state')(e.currentTarget.value)}
          data={[
            { value: '', label: t('orders.anyState') },
            ...ORDER_STATES.map((s) => ({ value: String(s), label: t(`state.${s}` as 'state.1') })),
          ]}
        />
        <NativeSelect
          label={t('orders.channel')}
          value={filters.connectionId}
          onChange={(e) => set('connectionId')(e.currentTarget.value)}
          data={[{ value: '', label: t('orders.anyChannel') }, ...[...names].map(([value, label]) => ({ value, label }))]}
        />
        <TextInput
          label={t('orders.tag')}
          value={typed.tag}
          onChange={(e) => {
            const tag = e.currentTarget.value;
            setTyped((v) => ({ ...v, tag }));
          }}
          w={140}
        />
        <TextInput type="date" label={t('orders.from')} value={filters.from} onChange={(e) => set('from')(e.currentTarget.value)} />
        <TextInput type="date" label={t('orders.to')} value={filters.to} onChange={(e) => set('to')(e.currentTarget.value)} />
        <TextInput
          type="search"
          label={t('orders.search')}
          value={typed.search}
          onChange={(e) => {
            const search = e.currentTarget.value;
            setTyped((v) => ({ ...v, search }));
          }}
        />
        {/* Enter in a text field submits the form: a form needs a submit button for that */}
        <Button type="submit" variant="default">
          {t('orders.apply')}
        </Button>
        <Button
          variant="default"
          onClick={() => {
            setTyped({ tag: '', search: '' });
            setFilters(NO_FILTERS);
          }}
        >
          {t('orders.reset')}
        </Button>
      </Group>
      <ProblemAlert error={first.error} />
      {first.data && orders.length === 0 && <Text>{t('orders.empty')}</Text>}
      {orders.length > 0 && (
        <Table striped highlightOnHover data-testid="orders-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('orders.number')}</Table.Th>
              <Table.Th scope="col">{t('orders.orderedAt')}</Table.Th>
              <Table.Th scope="col">{t('orders.channel')}</Table.Th>
              <Table.Th scope="col">{t('orders.buyer')}</Table.Th>
              <Table.Th scope="col">{t('orders.state')}</Table.Th>
              <Table.Th scope="col">{t('orders.tags')}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t('orders.total')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {orders.map((o) => (
              <Table.Tr key={o.id} data-testid="order-row" data-external-id={o.externalId}>
                <Table.Td>
                  <Link href={`/orders/${o.id}`}>{o.orderNumber ?? o.externalId}</Link>
                </Table.Td>
                <Table.Td>{dateTime(o.orderedAt, locale)}</Table.Td>
                <Table.Td>{names.get(o.connectionId) ?? o.channel}</Table.Td>
                <Table.Td>{personName(o.buyer)}</Table.Td>
                <Table.Td>
                  <Badge variant="filled" color="indigo.9" data-testid="order-state">
                    {t(`state.${o.state}` as 'state.1')}
                  </Badge>
                </Table.Td>
                <Table.Td>{o.tags.join(', ')}</Table.Td>
                <Table.Td ta="right">{money(o.totalGross, o.currency, locale)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {cursor && (
        <Group>
          <Button variant="default" onClick={loadMore}>
            {t('common.more')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
