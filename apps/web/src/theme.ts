import { createTheme } from '@mantine/core';

/** Colours chosen for WCAG AA contrast of text on the default light background (axe checks it). */
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  defaultRadius: 'sm',
});

/**
 * Badge backgrounds for "refused" and "waiting": Mantine's orange.9 and yellow.9 carry white text
 * at only 4.3:1 and 3:1; these darker shades reach 6.4:1 and 6.3:1 (AA needs 4.5:1).
 */
export const REFUSED_COLOR = '#a63c06';
export const WAITING_COLOR = '#8a5300';
