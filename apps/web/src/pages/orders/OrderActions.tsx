import { Button, Fieldset, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useCallback, useState } from 'react';
import { api, call, type Order } from '../../api/client';
import { ProblemAlert } from '../../api/problem-text';
import { useAction } from '../../api/use-api';
import { useI18n } from '../../i18n/i18n';
import { ORDER_STATES } from './format';

type Command =
  | { kind: 'state'; state: number }
  | { kind: 'shipment'; type: 'shipment' | 'return'; carrier: string; trackingNumber: string }
  | { kind: 'tags'; add: string[]; remove: string[] }
  | { kind: 'invoice' }
  | { kind: 'cancel' };

/** Changes the order through the API; a refusal is shown with its reason and rule (e.g. OTTO-4, OTTO-2). */
export function OrderActions({ order, onChanged }: { order: Order; onChanged(order: Order): void }) {
  const { t } = useI18n();
  const [state, setState] = useState(String(order.state));
  const [shipment, setShipment] = useState({ type: 'shipment' as 'shipment' | 'return', carrier: 'DHL', trackingNumber: '' });
  const [tag, setTag] = useState('');
  const [done, setDone] = useState(false);
  const path = { params: { path: { id: order.id } } };
  const action = useAction(
    useCallback(
      async (command: Command) => {
        switch (command.kind) {
          case 'state':
            return call(api.PUT('/api/v1/orders/{id}/state', { ...path, body: { state: command.state } }));
          case 'shipment':
            return call(api.POST('/api/v1/orders/{id}/shipments', { ...path, body: command }));
          case 'tags':
            return call(api.POST('/api/v1/orders/{id}/tags', { ...path, body: { add: command.add, remove: command.remove } }));
          case 'invoice':
            return call(api.POST('/api/v1/orders/{id}/invoice', path));
          case 'cancel':
            return call(api.POST('/api/v1/orders/{id}/cancel', { ...path, body: {} }));
        }
      },
      [order.id],
    ),
  );
  async function run(command: Command, event?: FormEvent) {
    event?.preventDefault();
    setDone(false);
    const changed = await action.execute(command);
    if (changed) {
      setDone(true);
      onChanged(changed);
    }
  }

  return (
    <Stack data-testid="order-actions">
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Fieldset
          legend={t('order.changeState')}
          component="form"
          onSubmit={(e: FormEvent) => run({ kind: 'state', state: Number(state) }, e)}
        >
          <Group align="end">
            <NativeSelect
              label={t('order.newState')}
              value={state}
              onChange={(e) => setState(e.currentTarget.value)}
              data={ORDER_STATES.map((s) => ({ value: String(s), label: t(`state.${s}` as 'state.1') }))}
            />
            <Button type="submit" loading={action.busy}>
              {t('order.apply')}
            </Button>
          </Group>
        </Fieldset>
        <Fieldset legend={t('order.addShipment')} component="form" onSubmit={(e: FormEvent) => run({ kind: 'shipment', ...shipment }, e)}>
          <Stack gap="xs">
            <NativeSelect
              label={t('order.shipmentType')}
              value={shipment.type}
              onChange={(e) => {
                const type = e.currentTarget.value as 'shipment' | 'return';
                setShipment((s) => ({ ...s, type }));
              }}
              data={[
                { value: 'shipment', label: t('order.shipment') },
                { value: 'return', label: t('order.return') },
              ]}
            />
            <TextInput
              label={t('order.carrier')}
              required
              value={shipment.carrier}
              onChange={(e) => {
                const carrier = e.currentTarget.value;
                setShipment((s) => ({ ...s, carrier }));
              }}
            />
            <TextInput
              label={t('order.trackingNumber')}
              required
              value={shipment.trackingNumber}
              onChange={(e) => {
                const trackingNumber = e.currentTarget.value;
                setShipment((s) => ({ ...s, trackingNumber }));
              }}
            />
            <Group>
              <Button type="submit" loading={action.busy}>
                {t('order.addShipment')}
              </Button>
            </Group>
          </Stack>
        </Fieldset>
        <Fieldset
          legend={t('orders.tags')}
          component="form"
          onSubmit={(e: FormEvent) => {
            const value = tag.trim();
            if (value) void run({ kind: 'tags', add: [value], remove: [] }, e).then(() => setTag(''));
            else e.preventDefault();
          }}
        >
          <Stack gap="xs">
            <Group gap="xs">
              {order.tags.map((existing) => (
                <Button
                  key={existing}
                  size="compact-sm"
                  variant="light"
                  aria-label={t('order.removeTag', { tag: existing })}
                  onClick={() => run({ kind: 'tags', add: [], remove: [existing] })}
                >
                  {existing} ×
                </Button>
              ))}
            </Group>
            <Group align="end">
              <TextInput label={t('order.addTag')} value={tag} onChange={(e) => setTag(e.currentTarget.value)} />
              <Button type="submit" variant="default" loading={action.busy}>
                {t('order.addTag')}
              </Button>
            </Group>
          </Stack>
        </Fieldset>
      </SimpleGrid>
      <Group>
        <Button variant="default" onClick={() => run({ kind: 'invoice' })} loading={action.busy}>
          {t('order.createInvoice')}
        </Button>
        <Button color="red.9" onClick={() => window.confirm(t('order.cancelConfirm')) && run({ kind: 'cancel' })}>
          {t('order.cancelOrder')}
        </Button>
      </Group>
      <div aria-live="polite">
        {done && (
          <Text c="teal.9" role="status">
            {t('order.done')}
          </Text>
        )}
        <ProblemAlert error={action.error} />
      </div>
    </Stack>
  );
}
