import { Button, Group, NativeSelect, NumberInput, PasswordInput, Stack, Switch, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { Connection, ConnectionType } from '../../api/client';
import { ProblemAlert } from '../../api/problem-text';
import { useI18n } from '../../i18n/i18n';
import { type FieldSpec, type FormValues, initialValues, TYPE_FORMS } from './channel-types';
import { type ConnectionTestResult, TestConnection } from './TestConnection';

const SYNC_DIRECTIONS = ['both', 'channelToHub', 'hubToChannel', 'none'] as const;
const STATES = Array.from({ length: 17 }, (_, i) => i + 1);

interface Props {
  type: ConnectionType;
  existing?: Connection;
  busy: boolean;
  error: unknown;
  onSubmit(values: FormValues): void;
  onCancel(): void;
  /** "Test connection" with the form's current values (nothing saved). */
  onTest(values: FormValues): Promise<ConnectionTestResult>;
}

/** One form per channel type, from TYPE_FORMS; secrets are write-only (empty = keep the stored one). */
export function ChannelForm({ type, existing, busy, error, onSubmit, onCancel, onTest }: Props) {
  const { t } = useI18n();
  const [values, setValues] = useState<FormValues>(() => initialValues(type, existing?.settings));
  const set = (key: string, value: string | number | boolean) => setValues((v) => ({ ...v, [key]: value }));
  const fieldErrors = new Map(
    ((error as { problem?: { errors?: { path: string; message: string }[] } })?.problem?.errors ?? []).map((e) => [
      e.path.replace(/^(body\.)?(settings|secrets)\./, ''),
      e.message,
    ]),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit(values);
  }

  function input(field: FieldSpec) {
    const label = t(field.label);
    const common = { label, error: fieldErrors.get(field.key), name: field.key };
    const value = values[field.key];
    switch (field.kind) {
      case 'secret': {
        const isSet = existing?.secretsSet.includes(field.key);
        return (
          <PasswordInput
            {...common}
            autoComplete="new-password"
            required={field.required && !isSet}
            placeholder={isSet ? t('channels.secretSet') : undefined}
            value={String(value)}
            onChange={(e) => set(field.key, e.currentTarget.value)}
          />
        );
      }
      case 'switch':
        return <Switch {...common} checked={Boolean(value)} onChange={(e) => set(field.key, e.currentTarget.checked)} />;
      case 'number':
        return (
          <NumberInput
            {...common}
            required={field.required}
            value={value === '' ? '' : Number(value)}
            allowDecimal={false}
            min={0}
            onChange={(v) => set(field.key, v === '' ? '' : Number(v))}
          />
        );
      case 'syncDirection':
        return (
          <NativeSelect
            {...common}
            value={String(value)}
            data={SYNC_DIRECTIONS.map((d) => ({ value: d, label: t(`sync.${d}`) }))}
            onChange={(e) => set(field.key, e.currentTarget.value)}
          />
        );
      case 'orderState':
        return (
          <NativeSelect
            {...common}
            value={String(value)}
            data={STATES.map((s) => ({ value: String(s), label: `${s} – ${t(`state.${s}` as 'state.1')}` }))}
            onChange={(e) => set(field.key, Number(e.currentTarget.value))}
          />
        );
      default:
        return (
          <TextInput
            {...common}
            type={field.kind === 'text' ? 'text' : field.kind}
            required={field.required}
            value={String(value)}
            onChange={(e) => set(field.key, e.currentTarget.value)}
          />
        );
    }
  }

  const inbound = existing?.settings.inboundAddress;
  return (
    <form onSubmit={submit} data-testid={`channel-form-${type}`}>
      <Stack maw={560}>
        {typeof inbound === 'string' && (
          <TextInput
            label={t('channels.inboundAddress')}
            description={t('channels.inboundHint')}
            value={inbound}
            readOnly
            data-testid="inbound-address"
          />
        )}
        {TYPE_FORMS[type].map((field) => (
          <div key={field.key}>{input(field)}</div>
        ))}
        <Text size="sm" c="dimmed">
          {t('channels.secretsWriteOnly')}
        </Text>
        <TestConnection run={() => onTest(values)} />
        <ProblemAlert error={error} title={t('common.error')} />
        <Group>
          <Button type="submit" loading={busy}>
            {t('common.save')}
          </Button>
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
