import { Alert, Button, Stack } from '@mantine/core';
import { useState } from 'react';
import type { Schemas } from '../../api/client';
import { ProblemAlert } from '../../api/problem-text';
import { useAction } from '../../api/use-api';
import { useI18n } from '../../i18n/i18n';

export type ConnectionTestResult = Schemas['ConnectionTestResult'];

/** "Test connection": runs the channel's check with what the form holds (nothing is saved) and says what it found. */
export function TestConnection({ run }: { run(): Promise<ConnectionTestResult> }) {
  const { t } = useI18n();
  const test = useAction(run);
  const [result, setResult] = useState<ConnectionTestResult | undefined>();
  return (
    <Stack gap="xs" data-testid="connection-test">
      <Button
        variant="light"
        loading={test.busy}
        onClick={async () => {
          setResult(undefined);
          setResult(await test.execute());
        }}
      >
        {t('channels.test')}
      </Button>
      {result && (
        <Alert
          role="status"
          color={result.checked ? 'teal.9' : 'gray.7'}
          data-testid="connection-test-result"
          data-checked={result.checked}
        >
          {result.checked ? t('channels.testOk') : t('channels.testNoCheck')}
        </Alert>
      )}
      <ProblemAlert error={test.error} title={t('channels.testFailed')} />
    </Stack>
  );
}
