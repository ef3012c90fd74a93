import { createTheme } from '@mantine/core';

/** Colours chosen for WCAG AA contrast of text on the default light background (axe checks it). */
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  defaultRadius: 'sm',
});
