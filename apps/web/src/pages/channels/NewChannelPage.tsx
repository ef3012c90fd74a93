import { Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useCallback } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { api, call, type ConnectionType, type Schemas } from '../../api/client';
import { useAction } from '../../api/use-api';
import { useI18n } from '../../i18n/i18n';
import { CapabilityMatrix } from './CapabilityMatrix';
import { ChannelForm } from './ChannelForm';
import { CONNECTION_TYPES, type FormValues, toRequest, TYPE_CAPABILITIES } from './channel-types';

/** CONN-1: "New" → pick the type (with the capability matrix, CONN-2) → that type's form. */
export default function NewChannelPage() {
  const { t } = useI18n();
  const params = useParams<{ type?: string }>();
  const [, navigate] = useLocation();
  const type = CONNECTION_TYPES.find((c) => c === params.type);
  const create = useAction(
    useCallback(async (chosen: ConnectionType, values: FormValues) => {
      const body = { type: chosen, ...toRequest(chosen, values) } as Schemas['CreateConnectionRequest'];
      return call(api.POST('/api/v1/connections', { body }));
    }, []),
  );

  if (type) {
    return (
      <Stack>
        <Title order={1}>{t('channels.choose', { type: t(`type.${type}`) })}</Title>
        <ChannelForm
          type={type}
          busy={create.busy}
          error={create.error}
          onCancel={() => navigate('/channels/new')}
          onTest={(values) => {
            const body = { type, ...toRequest(type, values) } as Schemas['CreateConnectionRequest'];
            return call(api.POST('/api/v1/connections/test', { body }));
          }}
          onSubmit={async (values) => {
            const created = await create.execute(type, values);
            if (created) navigate(created.type === 'jimdo' ? `/channels/${created.id}` : '/channels');
          }}
        />
      </Stack>
    );
  }
  return (
    <Stack>
      <Title order={1}>{t('channels.pickType')}</Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        {CONNECTION_TYPES.map((c) => (
          <Card withBorder key={c}>
            <Stack gap="xs">
              <Title order={2} size="h4">
                {t(`type.${c}`)}
              </Title>
              <Text size="sm">{TYPE_CAPABILITIES[c].map((cap) => t(`cap.${cap}`)).join(' · ')}</Text>
              <Group>
                <Button component={Link} href={`/channels/new/${c}`} data-testid={`new-${c}`}>
                  {t('channels.choose', { type: t(`type.${c}`) })}
                </Button>
              </Group>
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
      <CapabilityMatrix />
    </Stack>
  );
}
