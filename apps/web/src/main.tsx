import '@mantine/core/styles.css';
import './app.css';
import { MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { SessionGate } from './auth/session';
import { I18nProvider } from './i18n/i18n';
import { preloadPageAt } from './routes';
import { theme } from './theme';

// the page's chunk comes before the first render, so the page renders without a fallback
void preloadPageAt(window.location.pathname).then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <MantineProvider theme={theme}>
        <I18nProvider>
          <SessionGate>
            <App />
          </SessionGate>
        </I18nProvider>
      </MantineProvider>
    </StrictMode>,
  ),
);
