import { Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, call } from '../../api/client';
import { ProblemAlert } from '../../api/problem-text';
import { useAction, useApi } from '../../api/use-api';
import { useI18n } from '../../i18n/i18n';
import { dateTime } from '../orders/format';

/** Messages of the account parked on the dead-letter stream: why, replay after a fix, or drop. */
export function DeadLetters({ version }: { version: number }) {
  const { t, locale } = useI18n();
  const list = useApi(() => call(api.GET('/api/v1/dead-letters')), [version]);
  const [notice, setNotice] = useState<string | undefined>();
  const act = useAction(async (seq: number, how: 'replay' | 'drop') => {
    const path = { params: { path: { seq } } };
    if (how === 'replay') await call(api.POST('/api/v1/dead-letters/{seq}/replay', path));
    else await call(api.DELETE('/api/v1/dead-letters/{seq}', path));
    return how;
  });
  const items = list.data?.items ?? [];
  async function run(seq: number, how: 'replay' | 'drop') {
    const done = await act.execute(seq, how);
    if (done) {
      setNotice(t(done === 'replay' ? 'problems.replayed' : 'problems.dropped'));
      list.reload();
    }
  }
  return (
    <Stack>
      <Title order={2}>{t('problems.deadLetters')}</Title>
      <Text>{t('problems.deadLettersIntro')}</Text>
      <ProblemAlert error={list.error ?? act.error} />
      {notice && (
        <Text role="status" c="teal.9">
          {notice}
        </Text>
      )}
      {list.data && items.length === 0 && <Text data-testid="no-dead-letters">{t('problems.noDeadLetters')}</Text>}
      {items.length > 0 && (
        <Table data-testid="dead-letters">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('problems.received')}</Table.Th>
              <Table.Th scope="col">{t('problems.kind')}</Table.Th>
              <Table.Th scope="col">{t('problems.about')}</Table.Th>
              <Table.Th scope="col">{t('problems.reason')}</Table.Th>
              <Table.Th scope="col">{t('problems.attempts')}</Table.Th>
              <Table.Th scope="col">{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((d) => (
              <Table.Tr key={d.seq} data-testid="dead-letter">
                <Table.Td>{dateTime(d.parkedAt, locale)}</Table.Td>
                <Table.Td>{d.subject}</Table.Td>
                <Table.Td>{d.orderId ? <Link href={`/orders/${d.orderId}`}>{d.orderId}</Link> : (d.connectionId ?? '')}</Table.Td>
                <Table.Td>{d.reason}</Table.Td>
                <Table.Td>{d.deliveries}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button size="xs" loading={act.busy} onClick={() => run(d.seq, 'replay')}>
                      {t('problems.replay')}
                    </Button>
                    <Button size="xs" color="red.9" variant="outline" loading={act.busy} onClick={() => run(d.seq, 'drop')}>
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
