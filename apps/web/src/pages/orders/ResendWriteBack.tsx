import { Button, Group, Stack, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { api, call, type Order } from '../../api/client';
import { ProblemAlert } from '../../api/problem-text';
import { useAction } from '../../api/use-api';
import { useI18n } from '../../i18n/i18n';

/**
 * "Resend write-back" while the channel has not taken the order's last write-back (its latest outcome
 * is waiting or failed): the API publishes the write-back again and the connector asks the channel
 * first, so nothing is written twice. The outcome follows in the write-back list.
 */
export function ResendWriteBack({ order, pending, onChanged }: { order: Order; pending: boolean; onChanged(order: Order): void }) {
  const { t } = useI18n();
  const [sent, setSent] = useState(false);
  const resend = useAction(
    useCallback(() => call(api.POST('/api/v1/orders/{id}/write-back/resend', { params: { path: { id: order.id } } })), [order.id]),
  );
  if (!pending && !sent && !resend.error) return null;
  return (
    <Stack gap="xs" data-testid="resend-write-back">
      {pending && (
        <Group>
          <Text>{t('order.writeBackPending')}</Text>
          <Button
            variant="default"
            loading={resend.busy}
            onClick={async () => {
              setSent(false);
              const changed = await resend.execute();
              if (changed) {
                setSent(true);
                onChanged(changed);
              }
            }}
          >
            {t('order.resendWriteBack')}
          </Button>
        </Group>
      )}
      <div aria-live="polite">
        {sent && (
          <Text role="status" c="teal.9">
            {t('order.writeBackResent')}
          </Text>
        )}
        <ProblemAlert error={resend.error} title={t('order.resendRefused')} />
      </div>
    </Stack>
  );
}
