import { Center, Loader, Stack, Title } from '@mantine/core';
import { useCallback } from 'react';
import { useLocation, useParams } from 'wouter';
import { api, call } from '../../api/client';
import { ProblemAlert } from '../../api/problem-text';
import { useAction, useApi } from '../../api/use-api';
import { useI18n } from '../../i18n/i18n';
import { ChannelForm } from './ChannelForm';
import { type FormValues, toRequest } from './channel-types';

export default function EditChannelPage() {
  const { t } = useI18n();
  const { id } = useParams<{ id: string }>();
  const [, navigate] = useLocation();
  const connection = useApi(() => call(api.GET('/api/v1/connections/{id}', { params: { path: { id } } })), [id]);
  const save = useAction(
    useCallback(
      async (values: FormValues) => {
        const type = connection.data!.type;
        const { settings, secrets } = toRequest(type, values);
        // verify: the channel checks the changed settings before they are saved (a refusal is shown as is)
        const body = Object.keys(secrets).length ? { settings, secrets, verify: true } : { settings, verify: true };
        return call(api.PATCH('/api/v1/connections/{id}', { params: { path: { id } }, body }));
      },
      [connection.data, id],
    ),
  );
  if (connection.error) return <ProblemAlert error={connection.error} />;
  if (!connection.data)
    return (
      <Center>
        <Loader aria-label={t('app.loading')} />
      </Center>
    );
  return (
    <Stack>
      <Title order={1}>
        {t('channels.edit')}: {String(connection.data.settings.name ?? '')}
      </Title>
      <ChannelForm
        key={connection.data.updatedAt}
        type={connection.data.type}
        existing={connection.data}
        busy={save.busy}
        error={save.error}
        onCancel={() => navigate('/channels')}
        onTest={(values) => {
          const { settings, secrets } = toRequest(connection.data!.type, values);
          const body = Object.keys(secrets).length ? { settings, secrets } : { settings };
          return call(api.POST('/api/v1/connections/{id}/test', { params: { path: { id } }, body }));
        }}
        onSubmit={async (values) => {
          if (await save.execute(values)) navigate('/channels');
        }}
      />
    </Stack>
  );
}
