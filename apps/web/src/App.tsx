import { AppShell, Group, NavLink, SegmentedControl, Button, Title, Loader, Center, Anchor } from '@mantine/core';
import { Suspense } from 'react';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { useSession } from './auth/session';
import { LANGUAGES, type Language, useI18n } from './i18n/i18n';
import { LiveProvider, LiveIndicator } from './live/live';
import { ROUTES } from './routes';

const NAV = [
  { href: '/orders', key: 'nav.orders' },
  { href: '/channels', key: 'nav.channels' },
  { href: '/imports', key: 'nav.imports' },
  { href: '/problems', key: 'nav.problems' },
] as const;

export function App() {
  const { t, language, setLanguage } = useI18n();
  const { signOut } = useSession();
  const [location] = useLocation();
  return (
    <LiveProvider>
      <Anchor href="#main" className="skip-link">
        {t('app.skip')}
      </Anchor>
      <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: 0 }} padding="md">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between">
            <Title order={2} size="h4">
              {t('app.title')}
            </Title>
            <Group>
              <LiveIndicator />
              <SegmentedControl
                aria-label={t('app.language')}
                size="xs"
                value={language}
                onChange={(v) => setLanguage(v as Language)}
                data={LANGUAGES.map((l) => ({ value: l, label: l.toUpperCase() }))}
              />
              <Button variant="subtle" size="xs" onClick={signOut}>
                {t('app.signOut')}
              </Button>
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" component="nav" aria-label={t('nav.main')}>
          {NAV.map((item) => (
            <NavLink
              key={item.href}
              component={Link}
              href={item.href}
              label={t(item.key)}
              active={location.startsWith(item.href)}
              aria-current={location.startsWith(item.href) ? 'page' : undefined}
            />
          ))}
        </AppShell.Navbar>
        <AppShell.Main id="main">
          <Suspense
            fallback={
              <Center p="xl">
                <Loader aria-label={t('app.loading')} />
              </Center>
            }
          >
            <Switch>
              {ROUTES.map((r) => (
                <Route key={r.path} path={r.path} component={r.page.component} />
              ))}
              <Route>
                <Redirect to="/orders" />
              </Route>
            </Switch>
          </Suspense>
        </AppShell.Main>
      </AppShell>
    </LiveProvider>
  );
}
