import { Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { createContext, type FormEvent, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { checkApiKey, setApiKey } from '../api/client';
import { useI18n } from '../i18n/i18n';

const STORAGE_KEY = 'orderhub.apiKey';

/**
 * The key a link may carry in its fragment (`/#key=…`, what `npm run dev` prints): the fragment never
 * reaches a server; it is moved to this tab's sessionStorage and removed from the address bar.
 */
function initialKey(): string | undefined {
  const fromLink = /^#key=([^&]+)/.exec(window.location.hash)?.[1];
  if (fromLink) {
    sessionStorage.setItem(STORAGE_KEY, decodeURIComponent(fromLink));
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
}

interface Session {
  signOut(): void;
}
const SessionContext = createContext<Session>({ signOut: () => undefined });
export const useSession = () => useContext(SessionContext);

export function SessionGate({ children }: { children: ReactNode }) {
  const [key, setKey] = useState<string | undefined>(() => {
    const k = initialKey();
    setApiKey(k);
    return k;
  });
  const signOut = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    setApiKey(undefined);
    setKey(undefined);
  }, []);
  if (key) setApiKey(key, signOut);
  const session = useMemo(() => ({ signOut }), [signOut]);
  if (!key) return <SignIn onSignedIn={setKey} />;
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

function SignIn({ onSignedIn }: { onSignedIn(key: string): void }) {
  const { t } = useI18n();
  const [value, setValue] = useState('');
  const [refused, setRefused] = useState(false);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const ok = await checkApiKey(value.trim()).catch(() => false);
    setBusy(false);
    if (!ok) return setRefused(true);
    sessionStorage.setItem(STORAGE_KEY, value.trim());
    onSignedIn(value.trim());
  }
  return (
    <Center component="main" mih="100vh" id="main">
      <Paper withBorder p="xl" w={420} component="form" onSubmit={submit}>
        <Stack>
          <Title order={1} size="h2">
            {t('app.title')} · {t('signIn.title')}
          </Title>
          <PasswordInput
            label={t('signIn.apiKey')}
            description={t('signIn.apiKeyHint')}
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            error={refused ? t('signIn.refused') : undefined}
            required
            autoFocus
          />
          <Button type="submit" loading={busy}>
            {t('signIn.submit')}
          </Button>
          <Text size="xs" c="dimmed">
            Order Hub
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
