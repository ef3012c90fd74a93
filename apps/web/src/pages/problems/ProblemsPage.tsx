import { Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { api, call } from '../../api/client';
import { ProblemAlert } from '../../api/problem-text';
import { useAction, useApi } from '../../api/use-api';
import { useI18n } from '../../i18n/i18n';
import { useLive } from '../../live/live';
import { dateTime } from '../orders/format';
import { DeadLetters } from './DeadLetters';
import { ParkedShopOrders } from './ParkedShopOrders';

/** Parked order e-mails with the reason, "retry" (parse again with the current profile) and "drop" (handled by hand). */
export default function ProblemsPage() {
  const { t, locale } = useI18n();
  const { version } = useLive();
  const parked = useApi(() => call(api.GET('/api/v1/mail/parked', { params: { query: { limit: 100 } } })), [version]);
  const [notice, setNotice] = useState<string | undefined>();
  const retry = useAction(async (mailId: string) => call(api.POST('/api/v1/mail/{mailId}/reprocess', { params: { path: { mailId } } })));
  // true once dropped: the API answers with no body, and a refusal must not read as dropped
  const drop = useAction(async (mailId: string) => {
    await call(api.DELETE('/api/v1/mail/parked/{mailId}', { params: { path: { mailId } } }));
    return true;
  });
  const items = parked.data?.items ?? [];
  return (
    <Stack>
      <Title order={1}>{t('problems.title')}</Title>
      <Title order={2}>{t('problems.parked')}</Title>
      <Text>{t('problems.parkedIntro')}</Text>
      <ProblemAlert error={parked.error ?? retry.error ?? drop.error} />
      {notice && (
        <Text role="status" c="teal.9">
          {notice}
        </Text>
      )}
      {parked.data && items.length === 0 && <Text data-testid="no-parked">{t('problems.empty')}</Text>}
      {items.length > 0 && (
        <Table data-testid="parked-mails">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('problems.received')}</Table.Th>
              <Table.Th scope="col">{t('problems.subject')}</Table.Th>
              <Table.Th scope="col">{t('problems.from')}</Table.Th>
              <Table.Th scope="col">{t('problems.reason')}</Table.Th>
              <Table.Th scope="col">{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((m) => (
              <Table.Tr key={m.id} data-testid="parked-mail">
                <Table.Td>{dateTime(m.receivedAt, locale)}</Table.Td>
                <Table.Td>{m.subject ?? ''}</Table.Td>
                <Table.Td>{m.from ?? ''}</Table.Td>
                <Table.Td>{m.reason ?? ''}</Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Button
                      size="xs"
                      loading={retry.busy}
                      onClick={async () => {
                        if (await retry.execute(m.id)) {
                          setNotice(t('problems.retried'));
                          parked.reload();
                        }
                      }}
                    >
                      {t('problems.retry')}
                    </Button>
                    <Button
                      size="xs"
                      color="red.9"
                      variant="outline"
                      loading={drop.busy}
                      onClick={async () => {
                        if (await drop.execute(m.id)) {
                          setNotice(t('problems.mailDropped'));
                          parked.reload();
                        }
                      }}
                    >
                      {t('problems.drop')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <ParkedShopOrders version={version} />
      <DeadLetters version={version} />
    </Stack>
  );
}
