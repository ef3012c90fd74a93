import { berlinIso, parseDate } from '../src/jimdo/values';
import { berlinParts } from '@orderhub/sim-kit';

describe('shop-local times (Europe/Berlin from the runtime time-zone data)', () => {
  it.each([
    [[2026, 1, 15, 10, 0], '2026-01-15T10:00:00+01:00'],
    [[2026, 7, 1, 14, 0], '2026-07-01T14:00:00+02:00'],
    [[2026, 3, 29, 1, 30], '2026-03-29T01:30:00+01:00'],
    [[2026, 3, 29, 3, 30], '2026-03-29T03:30:00+02:00'],
    [[2026, 10, 25, 1, 30], '2026-10-25T01:30:00+02:00'],
    [[2026, 10, 25, 3, 30], '2026-10-25T03:30:00+01:00'],
  ])('wall clock %j is %s', (wall, iso) => {
    const [y, mo, d, h, mi] = wall as number[];
    expect(berlinIso(y!, mo!, d!, h, mi)).toBe(iso);
  });

  it('a German date in a mail becomes the UTC instant of that Berlin time', () => {
    expect(parseDate('20.11.2026, 10:15 Uhr')).toBe('2026-11-20T10:15:00+01:00');
    expect(new Date(parseDate('01.08.2026 10:15')!).toISOString()).toBe('2026-08-01T08:15:00.000Z');
  });

  it('the simulators read the same offsets back', () => {
    expect(berlinParts(new Date('2026-03-29T00:59:00Z'))).toMatchObject({ hour: 1, minute: 59, offset: 60 });
    expect(berlinParts(new Date('2026-03-29T01:00:00Z'))).toMatchObject({ hour: 3, minute: 0, offset: 120, weekday: 0 });
  });
});
