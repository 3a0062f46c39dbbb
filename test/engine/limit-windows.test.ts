// The calendar windows of limits, cached per program (limits.ts LimitWindows), are the windows
// the zone functions give, whatever the order instants come in: across DST changes, and in zones
// whose day boundaries cut a UTC hour (half- and quarter-hour offsets, Lord Howe's 30-minute DST).
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { LimitWindows } from '../../src/engine/limits';
import { addDaysIn, endOfDayIn, endOfMonthIn, endOfWeekIn, endOfYearIn, startOfDayIn, startOfMonthIn, startOfWeekIn, startOfYearIn } from '../../src/time';
import { FC_SEED, runsFor } from '../properties/seed';

const ZONES = ['America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/St_Johns', 'Australia/Lord_Howe', 'Pacific/Chatham', 'UTC'] as const;
const BOUNDS = {
  day: [startOfDayIn, endOfDayIn],
  week: [startOfWeekIn, endOfWeekIn],
  month: [startOfMonthIn, endOfMonthIn],
  year: [startOfYearIn, endOfYearIn],
} as const;
type Period = keyof typeof BOUNDS;

function expected(per: Period, at: Date, zone: string, lateness: number) {
  const [startOf, endOf] = BOUNDS[per];
  const start = startOf(at, zone);
  const end = endOf(at, zone);
  return { start: start.getTime(), end: end.getTime(), id: `${per}=${start.toISOString()}`, keepUntil: addDaysIn(end, lateness, zone).getTime() };
}

// Instants around 2027's DST changes and day boundaries, to the minute: many fall in an hour a
// boundary cuts, and the same hour is asked for again from both sides of the boundary.
const base = Date.UTC(2027, 2, 1);
const instant = fc.integer({ min: 0, max: 60 * 24 * 300 }).map((minutes) => new Date(base + minutes * 60_000));
const around = fc.tuple(fc.integer({ min: 0, max: 299 }), fc.integer({ min: -90, max: 90 })).map(([day, minutes]) => new Date(base + day * 86_400_000 + minutes * 60_000));

describe('limit windows cached per program', () => {
  test.prop(
    [fc.constantFrom(...ZONES), fc.integer({ min: 0, max: 60 }), fc.array(fc.tuple(fc.constantFrom<Period>('day', 'week', 'month', 'year'), fc.oneof(instant, around)), { minLength: 1, maxLength: 60 })],
    { seed: FC_SEED, numRuns: runsFor(200) },
  )('equal the zone functions, asked in any order', (zone, lateness, asks) => {
    const windows = new LimitWindows(zone, lateness);
    for (const [per, at] of [...asks, ...asks]) {
      const { start, end, id, keepUntil } = windows.of(per, at);
      expect({ start, end, id, keepUntil }).toEqual(expected(per, at, zone, lateness));
    }
  });

  test('an hour cut by a day boundary (Kolkata, +05:30) answers each side with its own day', () => {
    const windows = new LimitWindows('Asia/Kolkata', 30);
    const before = new Date('2027-03-01T18:15:00Z'); // 23:45 on 1 March in Kolkata
    const after = new Date('2027-03-01T18:45:00Z'); // 00:15 on 2 March, the same UTC hour
    expect(windows.of('day', before).id).toBe('day=2027-02-28T18:30:00.000Z');
    expect(windows.of('day', after).id).toBe('day=2027-03-01T18:30:00.000Z');
    expect(windows.of('day', before).id).toBe('day=2027-02-28T18:30:00.000Z');
  });
});
