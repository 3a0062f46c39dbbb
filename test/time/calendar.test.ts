import { describe, expect, it } from 'vitest';
import { TZDate } from '@date-fns/tz';
import {
  addDaysIn,
  addMonthsIn,
  daysInMonth,
  endOfDayIn,
  endOfMonthIn,
  endOfQuarterIn,
  endOfWeekIn,
  endOfYearIn,
  isValidTimeZone,
  localDateTimeIn,
  startOfDayIn,
  startOfMonthIn,
  startOfQuarterIn,
  startOfWeekIn,
  startOfYearIn,
  zonedParts,
} from '../../src/time';

const at = (iso: string): Date => new Date(iso);
const iso = (d: Date): string => d.toISOString();
const HOUR = 3_600_000;
const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';

describe('day boundaries', () => {
  it('New York 2027-03-14 (spring forward) is 23 hours long', () => {
    const t = at('2027-03-14T12:00:00-04:00');
    const start = startOfDayIn(t, NY);
    const end = endOfDayIn(t, NY);
    expect(iso(start)).toBe('2027-03-14T05:00:00.000Z'); // 00:00 EST
    expect(iso(end)).toBe('2027-03-15T04:00:00.000Z'); // 00:00 EDT
    expect(end.getTime() - start.getTime()).toBe(23 * HOUR);
  });

  it('Berlin 2027-10-31 (fall back) is 25 hours long', () => {
    const t = at('2027-10-31T12:00:00+01:00');
    const start = startOfDayIn(t, BERLIN);
    const end = endOfDayIn(t, BERLIN);
    expect(iso(start)).toBe('2027-10-30T22:00:00.000Z'); // 00:00 CEST
    expect(iso(end)).toBe('2027-10-31T23:00:00.000Z'); // 00:00 CET
    expect(end.getTime() - start.getTime()).toBe(25 * HOUR);
  });

  it('an ordinary day is 24 hours; the same instant is a different day in another zone', () => {
    const t = at('2027-06-01T02:00:00Z'); // 1 June 22:00 in New York, 2 June 04:00 in Berlin
    expect(iso(startOfDayIn(t, NY))).toBe('2027-05-31T04:00:00.000Z');
    expect(iso(startOfDayIn(t, BERLIN))).toBe('2027-05-31T22:00:00.000Z');
    expect(iso(startOfDayIn(t, 'UTC'))).toBe('2027-06-01T00:00:00.000Z');
    expect(endOfDayIn(t, BERLIN).getTime() - startOfDayIn(t, BERLIN).getTime()).toBe(24 * HOUR);
  });

  it('includes the start and excludes the end', () => {
    const start = at('2027-03-14T05:00:00Z');
    expect(iso(startOfDayIn(start, NY))).toBe(iso(start));
    const end = endOfDayIn(start, NY);
    expect(iso(startOfDayIn(end, NY))).toBe(iso(end));
    expect(iso(startOfDayIn(new Date(end.getTime() - 1), NY))).toBe(iso(start));
  });

  it('finds the first instant of a day whose midnight does not exist', () => {
    // Santiago springs forward at 24:00 on 5 Sep 2026: 6 Sep begins at 01:00 -03
    expect(iso(startOfDayIn(at('2026-09-06T12:00:00Z'), 'America/Santiago'))).toBe('2026-09-06T04:00:00.000Z');
    expect(iso(endOfDayIn(at('2026-09-05T12:00:00Z'), 'America/Santiago'))).toBe('2026-09-06T04:00:00.000Z');
  });
});

describe('week, month, quarter and year boundaries', () => {
  it('weeks start on Monday', () => {
    const sunday = at('2027-03-14T12:00:00Z');
    expect(iso(startOfWeekIn(sunday, 'UTC'))).toBe('2027-03-08T00:00:00.000Z');
    expect(iso(endOfWeekIn(sunday, 'UTC'))).toBe('2027-03-15T00:00:00.000Z');
    // the week containing New York's short day is 167 hours long
    const s = startOfWeekIn(sunday, NY);
    expect(iso(s)).toBe('2027-03-08T05:00:00.000Z');
    expect(endOfWeekIn(sunday, NY).getTime() - s.getTime()).toBe(167 * HOUR);
  });

  it('months in two zones', () => {
    const t = at('2027-03-01T03:00:00Z'); // still 28 Feb in New York
    expect(iso(startOfMonthIn(t, NY))).toBe('2027-02-01T05:00:00.000Z');
    expect(iso(endOfMonthIn(t, NY))).toBe('2027-03-01T05:00:00.000Z');
    expect(iso(startOfMonthIn(t, BERLIN))).toBe('2027-02-28T23:00:00.000Z');
    expect(iso(endOfMonthIn(t, BERLIN))).toBe('2027-03-31T22:00:00.000Z'); // 1 April 00:00 CEST
  });

  it('quarters', () => {
    const t = at('2027-05-20T12:00:00Z');
    expect(iso(startOfQuarterIn(t, 'UTC'))).toBe('2027-04-01T00:00:00.000Z');
    expect(iso(endOfQuarterIn(t, 'UTC'))).toBe('2027-07-01T00:00:00.000Z');
    expect(iso(startOfQuarterIn(t, BERLIN))).toBe('2027-03-31T22:00:00.000Z');
    expect(iso(endOfQuarterIn(at('2027-12-31T12:00:00Z'), NY))).toBe('2028-01-01T05:00:00.000Z');
  });

  it('years: "usable through 31 Dec" is gone at 00:00 on 1 Jan', () => {
    const t = at('2027-06-01T00:00:00Z');
    expect(iso(startOfYearIn(t, BERLIN))).toBe('2026-12-31T23:00:00.000Z');
    expect(iso(endOfYearIn(t, BERLIN))).toBe('2027-12-31T23:00:00.000Z');
    expect(iso(startOfYearIn(at('2027-01-01T03:00:00Z'), NY))).toBe('2026-01-01T05:00:00.000Z');
    expect(iso(endOfYearIn(at('2027-01-01T03:00:00Z'), NY))).toBe('2027-01-01T05:00:00.000Z');
  });
});

describe('addDaysIn', () => {
  it('a 30-day trial from 31 Jan 2027 00:00 ends at 00:00 on 2 Mar 2027', () => {
    for (const zone of ['UTC', NY, BERLIN, 'Pacific/Auckland']) {
      const start = localDateTimeIn(2027, 1, 31, zone);
      const end = addDaysIn(start, 30, zone);
      expect(zonedParts(end, zone)).toMatchObject({ year: 2027, month: 3, day: 2, hour: 0, minute: 0 });
    }
    expect(iso(addDaysIn(at('2027-01-31T00:00:00+01:00'), 30, BERLIN))).toBe('2027-03-01T23:00:00.000Z');
  });

  it('keeps the wall-clock time across DST', () => {
    const before = at('2027-03-13T09:30:00-05:00'); // Saturday 09:30 EST
    const after = addDaysIn(before, 1, NY);
    expect(iso(after)).toBe('2027-03-14T13:30:00.000Z'); // Sunday 09:30 EDT
    expect(after.getTime() - before.getTime()).toBe(23 * HOUR);

    const autumn = at('2027-10-30T09:30:00+02:00');
    const next = addDaysIn(autumn, 1, BERLIN);
    expect(zonedParts(next, BERLIN)).toMatchObject({ day: 31, hour: 9, minute: 30 });
    expect(next.getTime() - autumn.getTime()).toBe(25 * HOUR);
    expect(iso(addDaysIn(next, -1, BERLIN))).toBe(iso(autumn));
  });

  it('moves a wall time that falls in a gap forward', () => {
    expect(iso(addDaysIn(at('2027-03-13T02:30:00-05:00'), 1, NY))).toBe('2027-03-14T07:30:00.000Z'); // 03:30 EDT
  });

  it('does not mutate its argument', () => {
    const t = at('2027-01-31T00:00:00Z');
    addDaysIn(t, 5, 'UTC');
    addMonthsIn(t, 1, 'UTC');
    startOfMonthIn(t, NY);
    expect(iso(t)).toBe('2027-01-31T00:00:00.000Z');
  });
});

describe('addMonthsIn (anchor day)', () => {
  const anchor = new TZDate(2027, 0, 31, 10, 0, NY);

  it('31 Jan 2027 → 28 Feb → 31 Mar → 30 Apr, counted from the anchor', () => {
    expect(zonedParts(addMonthsIn(anchor, 1, NY), NY)).toMatchObject({ year: 2027, month: 2, day: 28, hour: 10 });
    expect(zonedParts(addMonthsIn(anchor, 2, NY), NY)).toMatchObject({ year: 2027, month: 3, day: 31, hour: 10 });
    expect(zonedParts(addMonthsIn(anchor, 3, NY), NY)).toMatchObject({ year: 2027, month: 4, day: 30, hour: 10 });
    expect(zonedParts(addMonthsIn(anchor, 13, NY), NY)).toMatchObject({ year: 2028, month: 2, day: 29, hour: 10 });
  });

  it('31 Jan 2028 + 1 month = 29 Feb 2028', () => {
    expect(iso(addMonthsIn(at('2028-01-31T00:00:00Z'), 1, 'UTC'))).toBe('2028-02-29T00:00:00.000Z');
  });

  it('keeps wall-clock time across DST (EST → EDT)', () => {
    expect(iso(addMonthsIn(anchor, 2, NY))).toBe('2027-03-31T14:00:00.000Z');
    expect(anchor.getTime()).toBe(new Date('2027-01-31T15:00:00Z').getTime());
  });

  it('judges the anchor day in the zone, not in UTC', () => {
    // 31 Jan 23:00 in New York is already 1 Feb in UTC
    const lateNight = at('2027-01-31T23:00:00-05:00');
    expect(zonedParts(addMonthsIn(lateNight, 1, NY), NY)).toMatchObject({ month: 2, day: 28, hour: 23 });
    expect(zonedParts(addMonthsIn(lateNight, 1, 'UTC'), 'UTC')).toMatchObject({ month: 3, day: 1, hour: 4 });
  });

  it('accepts negative counts and refuses fractional ones', () => {
    expect(iso(addMonthsIn(at('2027-03-31T00:00:00Z'), -1, 'UTC'))).toBe('2027-02-28T00:00:00.000Z');
    expect(() => addMonthsIn(anchor, 1.5, NY)).toThrow(expect.objectContaining({ code: 'invalid_count' }));
    expect(() => addDaysIn(anchor, Number.NaN, NY)).toThrow(expect.objectContaining({ code: 'invalid_count' }));
  });
});

describe('zonedParts, localDateTimeIn, isValidTimeZone', () => {
  it('reads wall-clock fields with a 1-based month and 0 = Sunday', () => {
    expect(zonedParts(at('2027-03-14T12:00:00Z'), 'Pacific/Auckland')).toEqual({
      year: 2027, month: 3, day: 15, hour: 1, minute: 0, second: 0, dayOfWeek: 1,
    });
    expect(zonedParts(at('2027-03-14T12:34:56Z'), 'UTC')).toEqual({
      year: 2027, month: 3, day: 14, hour: 12, minute: 34, second: 56, dayOfWeek: 0,
    });
  });

  it('builds instants from wall-clock fields', () => {
    expect(iso(localDateTimeIn(2027, 3, 15, 'Pacific/Auckland'))).toBe('2027-03-14T11:00:00.000Z');
    expect(iso(localDateTimeIn(2027, 3, 14, 9, 30, NY))).toBe('2027-03-14T13:30:00.000Z');
    // gap: 02:30 does not exist in New York on 14 Mar 2027 → 03:30 EDT
    expect(iso(localDateTimeIn(2027, 3, 14, 2, 30, NY))).toBe('2027-03-14T07:30:00.000Z');
    // overlap: 01:30 happens twice on 7 Nov 2027 → the earlier (EDT)
    expect(iso(localDateTimeIn(2027, 11, 7, 1, 30, NY))).toBe('2027-11-07T05:30:00.000Z');
  });

  it('refuses impossible dates and unknown zones', () => {
    expect(() => localDateTimeIn(2027, 2, 29, 'UTC')).toThrow(expect.objectContaining({ code: 'invalid_date' }));
    expect(() => localDateTimeIn(2027, 13, 1, 'UTC')).toThrow(expect.objectContaining({ code: 'invalid_date' }));
    expect(() => localDateTimeIn(2027, 1, 1, 24, 0, 'UTC')).toThrow(expect.objectContaining({ code: 'invalid_date' }));
    expect(() => localDateTimeIn(2027, 1, 1, 'Mars/Base')).toThrow(expect.objectContaining({ code: 'invalid_time_zone' }));
    expect(() => startOfDayIn(at('2027-01-01T00:00:00Z'), 'Nope/Zone')).toThrow(expect.objectContaining({ code: 'invalid_time_zone' }));
    expect(() => startOfDayIn(new Date(Number.NaN), 'UTC')).toThrow(expect.objectContaining({ code: 'invalid_instant' }));
  });

  it('knows valid zones', () => {
    expect(isValidTimeZone('Pacific/Auckland')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('counts days in months', () => {
    expect(daysInMonth(2027, 2)).toBe(28);
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2027, 4)).toBe(30);
    expect(daysInMonth(2027, 12)).toBe(31);
  });
});
