import { Button, Center, Divider, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { createContext, type FormEvent, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { checkApiKey, endSession, setApiKey, signInWithPassword } from '../api/client';
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
    const current = sessionStorage.getItem(STORAGE_KEY);
    if (current) void endSession(current);
    sessionStorage.removeItem(STORAGE_KEY);
    setApiKey(undefined);
    setKey(undefined);
  }, []);
  if (key) setApiKey(key, signOut);
  const session = useMemo(() => ({ signOut }), [signOut]);
  if (!key) return <SignIn onSignedIn={setKey} />;
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** Sign-in with a user of the account (a session that expires) or with the account's API key. */
function SignIn({ onSignedIn }: { onSignedIn(key: string): void }) {
  const { t } = useI18n();
  return (
    <Center component="main" mih="100vh" id="main">
      <Paper withBorder p="xl" w={420}>
        <Stack>
          <Title order={1} size="h2">
            {t('app.title')} · {t('signIn.title')}
          </Title>
          <PasswordSignIn onSignedIn={onSignedIn} />
          <Divider label={t('signIn.or')} />
          <KeySignIn onSignedIn={onSignedIn} />
          <Text size="xs" c="dimmed">
            Order Hub
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}

function PasswordSignIn({ onSignedIn }: { onSignedIn(token: string): void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [refused, setRefused] = useState(false);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const token = await signInWithPassword(username.trim(), password).catch(() => undefined);
    setBusy(false);
    if (!token) return setRefused(true);
    sessionStorage.setItem(STORAGE_KEY, token);
    onSignedIn(token);
  }
  return (
    <Stack component="form" onSubmit={submit} data-testid="password-sign-in">
      <TextInput
        label={t('signIn.username')}
        autoComplete="username"
        value={username}
        onChange={(e) => setUsername(e.currentTarget.value)}
        required
        autoFocus
      />
      <PasswordInput
        label={t('signIn.password')}
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        error={refused ? t('signIn.passwordRefused') : undefined}
        required
      />
      <Button type="submit" loading={busy}>
        {t('signIn.withPassword')}
      </Button>
    </Stack>
  );
}

function KeySignIn({ onSignedIn }: { onSignedIn(key: string): void }) {
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
    <Stack component="form" onSubmit={submit} data-testid="key-sign-in">
      <PasswordInput
        label={t('signIn.apiKey')}
        description={t('signIn.apiKeyHint')}
        value={value}
        onChange={(e) => setValue(e.currentTarget.value)}
        error={refused ? t('signIn.refused') : undefined}
        required
      />
      <Button type="submit" loading={busy}>
        {t('signIn.submit')}
      </Button>
    </Stack>
  );
}
