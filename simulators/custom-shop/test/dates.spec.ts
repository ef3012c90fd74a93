import { formatShopDate, parseStartDate } from '../src/dates';

describe('shop dates as a German PHP shop writes them (issue 15)', () => {
  it('SSP-1: Berlin local time with +0100 in winter and +0200 in summer, not only +0000', () => {
    expect(formatShopDate(new Date('2026-01-15T09:30:00Z'))).toBe('2026-01-15T10:30:00+0100');
    expect(formatShopDate(new Date('2026-07-01T12:00:05Z'))).toBe('2026-07-01T14:00:05+0200');
    // the night the clocks go back: 00:30 UTC is still summer time, 01:30 UTC is winter time again
    expect(formatShopDate(new Date('2026-10-25T00:30:00Z'))).toBe('2026-10-25T02:30:00+0200');
    expect(formatShopDate(new Date('2026-10-25T01:30:00Z'))).toBe('2026-10-25T02:30:00+0100');
  });

  it('a written date reads back as the same instant', () => {
    for (const iso of ['2026-03-29T00:59:59Z', '2026-03-29T01:00:00Z', '2026-12-31T23:59:59Z']) {
      expect(parseStartDate(formatShopDate(new Date(iso)))?.toISOString()).toBe(new Date(iso).toISOString());
    }
  });
});
