import { Button, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, call, type Connection } from '../../api/client';
import { ProblemAlert } from '../../api/problem-text';
import { useAction, useApi } from '../../api/use-api';
import { useI18n } from '../../i18n/i18n';
import { ConnectionHealth, useConnectionHealth } from './ConnectionHealth';

export default function ChannelsPage() {
  const { t } = useI18n();
  const list = useApi(() => call(api.GET('/api/v1/connections')), []);
  const health = useConnectionHealth();
  const [deleting, setDeleting] = useState<Connection | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  // true once deleted: the API answers a deletion with no body, and a refusal must not read as "deleted"
  const remove = useAction(async (id: string) => {
    await call(api.DELETE('/api/v1/connections/{id}', { params: { path: { id } } }));
    return true;
  });
  const sync = useAction(async (id: string) => call(api.POST('/api/v1/connections/{id}/sync', { params: { path: { id } } })));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('channels.title')}</Title>
        <Button component={Link} href="/channels/new" data-testid="new-channel">
          {t('channels.new')}
        </Button>
      </Group>
      <ProblemAlert error={list.error ?? remove.error ?? sync.error} />
      {notice && (
        <Text role="status" c="teal.9">
          {notice}
        </Text>
      )}
      {list.data && list.data.items.length === 0 && <Text>{t('channels.empty')}</Text>}
      {list.data && list.data.items.length > 0 && (
        <Table striped highlightOnHover data-testid="channels-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('channels.name')}</Table.Th>
              <Table.Th scope="col">{t('channels.type')}</Table.Th>
              <Table.Th scope="col">{t('channels.health')}</Table.Th>
              <Table.Th scope="col">{t('channels.sync')}</Table.Th>
              <Table.Th scope="col">{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((c) => (
              <Table.Tr key={c.id} data-testid="channel-row">
                <Table.Td>
                  <Link href={`/channels/${c.id}`}>{String(c.settings.name ?? c.id)}</Link>
                </Table.Td>
                <Table.Td>{t(`type.${c.type}`)}</Table.Td>
                <Table.Td>
                  <ConnectionHealth connection={c} health={health.get(c.id)} />
                </Table.Td>
                <Table.Td>{t(`sync.${(c.settings.syncDirection as 'both') ?? 'both'}`)}</Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    {c.type !== 'jimdo' && (
                      <Button
                        size="xs"
                        variant="light"
                        onClick={async () => (await sync.execute(c.id)) && setNotice(t('channels.syncAccepted'))}
                      >
                        {t('channels.syncNow')}
                      </Button>
                    )}
                    <Button size="xs" variant="default" component={Link} href={`/channels/${c.id}`}>
                      {t('common.edit')}
                    </Button>
                    <Button size="xs" color="red.9" variant="outline" onClick={() => setDeleting(c)}>
                      {t('common.delete')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={deleting !== undefined} onClose={() => setDeleting(undefined)} title={t('common.delete')}>
        <Stack>
          <Text>{t('channels.deleteConfirm', { name: String(deleting?.settings.name ?? '') })}</Text>
          <Group>
            <Button
              color="red.9"
              loading={remove.busy}
              onClick={async () => {
                const id = deleting!.id;
                setDeleting(undefined);
                setNotice(undefined);
                if (await remove.execute(id)) setNotice(t('channels.deleted'));
                list.reload();
              }}
            >
              {t('common.delete')}
            </Button>
            <Button variant="default" onClick={() => setDeleting(undefined)}>
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
