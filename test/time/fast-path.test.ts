import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tzOffset, tzScan } from '@date-fns/tz';
import {
  addDaysIn,
  addMonthsIn,
  endOfDayIn,
  endOfMonthIn,
  endOfQuarterIn,
  endOfWeekIn,
  endOfYearIn,
  localDateTimeIn,
  startOfDayIn,
  startOfMonthIn,
  startOfQuarterIn,
  startOfWeekIn,
  startOfYearIn,
  zonedParts,
} from '../../src/time';
import {
  exactAddDaysIn,
  exactAddMonthsIn,
  exactEndOfDayIn,
  exactEndOfMonthIn,
  exactEndOfQuarterIn,
  exactEndOfWeekIn,
  exactEndOfYearIn,
  exactLocalDateTimeIn,
  exactStartOfDayIn,
  exactStartOfMonthIn,
  exactStartOfQuarterIn,
  exactStartOfWeekIn,
  exactStartOfYearIn,
  exactWallFields,
} from '../../src/time/internal/exact';
import { fastAddDays, fastEndOfDay, fastEndOfPeriod, fastLocalDateTime, fastStartOfDay, fastWallFields } from '../../src/time/internal/fast';
import { exactOffset, offsetAt, zoneOffsets } from '../../src/time/internal/offset';

// The calendar functions take a fast path (cached offsets, UTC arithmetic) and fall back to
// date-fns + @date-fns/tz near offset changes. These tests hold the fast path to the exact one
// on many instants: uniform ones, and ones packed around every offset change of each zone.

// TZDate (the exact path) lets the host's own zone leak into a few results: when the host zone
// changes offset at the very instant being resolved (e.g. a Lord Howe host resolving Beirut's
// 2001-10-28 00:00), date-fns answers an instant that does not show the wall time asked for.
// The fast path does not read the host zone at all. Compare them under a UTC host, where date-fns
// is right; Node applies a TZ set at run time.
process.env.TZ = 'UTC';

const SEED = 20_270_314;
const ZONES = [
  'UTC',
  'America/New_York', // DST at 02:00
  'Europe/Berlin',
  'Europe/Dublin', // "negative" DST in the tz data
  'Australia/Lord_Howe', // 30-minute DST
  'Asia/Kathmandu', // +05:45
  'Pacific/Chatham', // +12:45 / +13:45
  'America/St_Johns', // −03:30 / −02:30
  'America/Santiago', // DST at midnight: some midnights do not exist
  'Asia/Beirut', // changes at midnight
  'America/Sao_Paulo', // had DST at midnight until 2019
  'Pacific/Apia', // skipped 30 Dec 2011 entirely
  'Africa/Casablanca', // DST suspended around Ramadan
] as const;

const Y1850 = Date.UTC(1850, 0, 1);
const Y1990 = Date.UTC(1990, 0, 1);
const Y2045 = Date.UTC(2045, 0, 1);
const Y2100 = Date.UTC(2100, 0, 1);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const changes: Record<string, number[]> = Object.fromEntries(
  ZONES.map((zone) => [zone, tzScan(zone, { start: new Date(Y1990), end: new Date(Y2045) }).map((c) => c.date.getTime())]),
);

/** An instant: anywhere in 1850–2100, in 1990–2045, or within 3 days of one of the zone's offset changes. */
function instant(zone: string): fc.Arbitrary<number> {
  const near = changes[zone] ?? [];
  const arbs: fc.Arbitrary<number>[] = [
    fc.integer({ min: Y1850, max: Y2100 }),
    fc.integer({ min: Y1990, max: Y2045 }),
    // whole minutes and hours near changes, where date-fns' own edge handling lives
    fc.integer({ min: Y1990 / 60_000, max: Y2045 / 60_000 }).map((m) => m * 60_000),
  ];
  if (near.length > 0) {
    arbs.push(
      fc.tuple(fc.integer({ min: 0, max: near.length - 1 }), fc.integer({ min: -3 * DAY, max: 3 * DAY })).map(([i, d]) => (near[i] ?? Y1990) + d),
      fc.tuple(fc.integer({ min: 0, max: near.length - 1 }), fc.integer({ min: -72, max: 72 }), fc.constantFrom(0, 15, 30, 45)).map(
        ([i, h, m]) => (near[i] ?? Y1990) + h * HOUR + m * 60_000,
      ),
    );
  }
  return fc.oneof(...arbs);
}

const zoneAndInstant = fc.constantFrom(...ZONES).chain((zone) => fc.tuple(fc.constant(zone), instant(zone)));
const iso = (d: Date): string => (Number.isNaN(d.getTime()) ? 'Invalid' : d.toISOString());
const both = (f: () => Date): string => {
  try {
    return iso(f());
  } catch (e) {
    return `threw ${(e as Error).message}`;
  }
};

describe('time fast path: offsets', () => {
  it('reads the same offset as @date-fns/tz tzOffset, cached or not', () => {
    fc.assert(
      fc.property(zoneAndInstant, ([zone, ms]) => {
        const z = zoneOffsets(zone);
        const expected = tzOffset(zone, new Date(ms));
        expect(exactOffset(z, ms)).toBe(expected);
        expect(offsetAt(z, ms)).toBe(expected);
        expect(offsetAt(z, ms)).toBe(expected); // second read comes from the cache
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});

describe('time fast path agrees with date-fns + @date-fns/tz', () => {
  it('zonedParts', () => {
    fc.assert(
      fc.property(zoneAndInstant, ([zone, ms]) => {
        const e = exactWallFields(new Date(ms), zone);
        expect(zonedParts(new Date(ms), zone)).toEqual({ ...omitMonth0(e), month: e.month0 + 1 });
      }),
      { seed: SEED, numRuns: 4000 },
    );
  });

  const boundaries: [string, (t: Date, zone: string) => Date, (t: Date, zone: string) => Date][] = [
    ['startOfDayIn', startOfDayIn, exactStartOfDayIn],
    ['endOfDayIn', endOfDayIn, exactEndOfDayIn],
    ['startOfWeekIn', startOfWeekIn, exactStartOfWeekIn],
    ['endOfWeekIn', endOfWeekIn, exactEndOfWeekIn],
    ['startOfMonthIn', startOfMonthIn, exactStartOfMonthIn],
    ['endOfMonthIn', endOfMonthIn, exactEndOfMonthIn],
    ['startOfQuarterIn', startOfQuarterIn, exactStartOfQuarterIn],
    ['endOfQuarterIn', endOfQuarterIn, exactEndOfQuarterIn],
    ['startOfYearIn', startOfYearIn, exactStartOfYearIn],
    ['endOfYearIn', endOfYearIn, exactEndOfYearIn],
  ];
  for (const [name, fast, exact] of boundaries) {
    it(name, () => {
      fc.assert(
        fc.property(zoneAndInstant, ([zone, ms]) => {
          expect(both(() => fast(new Date(ms), zone))).toBe(both(() => exact(new Date(ms), zone)));
        }),
        { seed: SEED, numRuns: 2500 },
      );
    });
  }

  it('addDaysIn', () => {
    const n = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -800, max: 800 }));
    fc.assert(
      fc.property(zoneAndInstant, n, ([zone, ms], days) => {
        expect(both(() => addDaysIn(new Date(ms), days, zone))).toBe(both(() => exactAddDaysIn(new Date(ms), days, zone)));
      }),
      { seed: SEED, numRuns: 4000 },
    );
  });

  it('addMonthsIn', () => {
    const n = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -40, max: 40 }));
    fc.assert(
      fc.property(zoneAndInstant, n, ([zone, ms], months) => {
        expect(both(() => addMonthsIn(new Date(ms), months, zone))).toBe(both(() => exactAddMonthsIn(new Date(ms), months, zone)));
      }),
      { seed: SEED, numRuns: 4000 },
    );
  });

  it('localDateTimeIn (wall times near and far from changes, including gaps and repeats)', () => {
    fc.assert(
      fc.property(zoneAndInstant, fc.integer({ min: -3 * 60, max: 3 * 60 }), ([zone, ms], shiftMinutes) => {
        // the wall clock of an instant, moved a little: lands in gaps and repeated hours near changes
        const w = new Date(ms + shiftMinutes * 60_000);
        const p = exactWallFields(w, zone);
        if (p.year < 1000 || p.year > 9999) return;
        const args = [p.year, p.month0 + 1, p.day, p.hour, p.minute] as const;
        expect(both(() => localDateTimeIn(...args, zone))).toBe(both(() => exactLocalDateTimeIn(...args, zone)));
        expect(both(() => localDateTimeIn(p.year, p.month0 + 1, p.day, zone))).toBe(both(() => exactLocalDateTimeIn(p.year, p.month0 + 1, p.day, 0, 0, zone)));
      }),
      { seed: SEED, numRuns: 4000 },
    );
  });
});

describe('time fast path: coverage', () => {
  it('answers almost every instant, and declines in gaps and repeated hours', () => {
    let answered = 0;
    let total = 0;
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Y1990, max: Y2045 }), (zone, ms) => {
        const z = zoneOffsets(zone);
        total += 4;
        if (fastWallFields(z, ms) !== undefined) answered += 1;
        if (!Number.isNaN(fastStartOfDay(z, ms))) answered += 1;
        if (!Number.isNaN(fastEndOfDay(z, ms))) answered += 1;
        if (!Number.isNaN(fastAddDays(z, ms, 30))) answered += 1;
      }),
      { seed: SEED, numRuns: 2000 },
    );
    // Only wall times in a gap or a repeated hour go to date-fns.
    expect(answered / total).toBeGreaterThan(0.995);

    const ny = zoneOffsets('America/New_York');
    // across the spring-forward day, plainly
    expect(fastStartOfDay(ny, Date.UTC(2027, 2, 14, 16))).toBe(Date.UTC(2027, 2, 14, 5));
    expect(fastEndOfDay(ny, Date.UTC(2027, 2, 14, 16))).toBe(Date.UTC(2027, 2, 15, 4));
    expect(fastEndOfPeriod(ny, Date.UTC(2027, 5, 15), 1)).toBe(Date.UTC(2027, 6, 1, 4));
    // wall times in a gap or a repeated hour go to date-fns
    expect(fastLocalDateTime(ny, 2027, 3, 14, 2, 30)).toBeNaN();
    expect(fastLocalDateTime(ny, 2027, 11, 7, 1, 30)).toBeNaN();
    expect(fastLocalDateTime(ny, 2027, 11, 7, 2, 0)).toBe(Date.UTC(2027, 10, 7, 7));
    expect(fastAddDays(ny, Date.UTC(2027, 2, 13, 7, 30), 1)).toBeNaN(); // 02:30 on 14 Mar does not exist
    // Santiago springs forward at midnight: 5 Sep 2027 has no 00:00
    expect(fastStartOfDay(zoneOffsets('America/Santiago'), Date.UTC(2027, 8, 5, 16))).toBeNaN();
  });
});

function omitMonth0<T extends { month0: number }>(x: T): Omit<T, 'month0'> {
  const { month0: _, ...rest } = x;
  return rest;
}
