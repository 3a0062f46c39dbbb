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
} from './internal/exact';
import {
  fastAddDays,
  fastAddMonths,
  fastEndOfDay,
  fastEndOfPeriod,
  fastEndOfWeek,
  fastLocalDateTime,
  fastStartOfDay,
  fastStartOfPeriod,
  fastStartOfWeek,
  fastWallFields,
} from './internal/fast';
import { zoneOffsets } from './internal/offset';
import type { ZoneOffsets } from './internal/offset';
import { refuse } from './internal/refuse';

// Calendar arithmetic in an IANA zone. Every function takes and returns plain Date instants;
// periods are half-open: they include their start and exclude their end, so `endOf…In` returns
// the first instant of the next period.
//
// Results are those of date-fns + @date-fns/tz (./internal/exact.ts). Most calls take a fast path
// of plain UTC arithmetic on the zone's cached offset (./internal/fast.ts), which declines, and
// leaves the call to date-fns, whenever an instant involved is near a change of offset.

const validZones = new Set<string>();

/**
 * True when `zone` is a time zone this runtime knows (an IANA name such as `'Europe/Berlin'`,
 * or `'UTC'`).
 *
 * @example
 * ```ts
 * isValidTimeZone('Pacific/Auckland'); // true
 * isValidTimeZone('Mars/Olympus_Mons'); // false
 * ```
 */
export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone === '') return false;
  if (validZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return false;
  }
  validZones.add(zone);
  return true;
}

const offsets = new Map<string, ZoneOffsets | null>();

/** Validates a zone; its offset cache, or null when the runtime cannot read offsets quickly. */
function checkZone(zone: string): ZoneOffsets | null {
  const known = offsets.get(zone);
  if (known !== undefined) return known;
  if (!isValidTimeZone(zone)) refuse('invalid_time_zone', ['timeZone'], `${JSON.stringify(zone)} is not a known IANA time zone`);
  let z: ZoneOffsets | null;
  try {
    z = zoneOffsets(zone);
  } catch {
    z = null;
  }
  offsets.set(zone, z);
  return z;
}

/** The fast result when there is one (a number that is not NaN), else the exact one. */
function pick(ms: number, exact: () => Date): Date {
  return ms === ms ? new Date(ms) : exact();
}

function checkInstant(t: Date): Date {
  if (!(t instanceof Date) || Number.isNaN(t.getTime())) refuse('invalid_instant', ['at'], 'expected a valid Date');
  return t;
}

function checkCount(n: number, path: string): number {
  if (!Number.isSafeInteger(n)) refuse('invalid_count', [path], `${String(n)} is not an integer`);
  return n;
}

/**
 * The first instant of the day containing `t`, in `zone`.
 *
 * @throws LoyaltyError `invalid_time_zone` (path `['timeZone']`), `invalid_instant` (path `['at']`)
 * @example
 * ```ts
 * startOfDayIn(new Date('2027-03-14T12:00:00Z'), 'America/New_York').toISOString(); // '2027-03-14T05:00:00.000Z'
 * ```
 */
export function startOfDayIn(t: Date, zone: string): Date {
  checkInstant(t);
  const z = checkZone(zone);
  return pick(z ? fastStartOfDay(z, t.getTime()) : Number.NaN, () => exactStartOfDayIn(t, zone));
}

/**
 * The exclusive end of the day containing `t` in `zone`: the first instant of the next day.
 * A day is 23 or 25 hours long across a DST change.
 *
 * @example
 * ```ts
 * endOfDayIn(new Date('2027-03-14T12:00:00Z'), 'America/New_York').toISOString(); // '2027-03-15T04:00:00.000Z' (23 h later)
 * ```
 */
export function endOfDayIn(t: Date, zone: string): Date {
  const z = checkZone(zone);
  checkInstant(t);
  return pick(z ? fastEndOfDay(z, t.getTime()) : Number.NaN, () => exactEndOfDayIn(t, zone));
}

/**
 * The first instant of the ISO week (Monday 00:00) containing `t`, in `zone`.
 *
 * @example
 * ```ts
 * startOfWeekIn(new Date('2027-03-14T12:00:00Z'), 'UTC').toISOString(); // '2027-03-08T00:00:00.000Z' (a Monday)
 * ```
 */
export function startOfWeekIn(t: Date, zone: string): Date {
  checkInstant(t);
  const z = checkZone(zone);
  return pick(z ? fastStartOfWeek(z, t.getTime()) : Number.NaN, () => exactStartOfWeekIn(t, zone));
}

/**
 * The exclusive end of the ISO week containing `t` in `zone`: the next Monday's first instant.
 *
 * @example
 * ```ts
 * endOfWeekIn(new Date('2027-03-14T12:00:00Z'), 'UTC').toISOString(); // '2027-03-15T00:00:00.000Z'
 * ```
 */
export function endOfWeekIn(t: Date, zone: string): Date {
  const z = checkZone(zone);
  checkInstant(t);
  return pick(z ? fastEndOfWeek(z, t.getTime()) : Number.NaN, () => exactEndOfWeekIn(t, zone));
}

/**
 * The first instant of the calendar month containing `t`, in `zone`.
 *
 * @example
 * ```ts
 * startOfMonthIn(new Date('2027-03-01T03:00:00Z'), 'America/New_York').toISOString(); // '2027-02-01T05:00:00.000Z'
 * ```
 */
export function startOfMonthIn(t: Date, zone: string): Date {
  checkInstant(t);
  const z = checkZone(zone);
  return pick(z ? fastStartOfPeriod(z, t.getTime(), 1) : Number.NaN, () => exactStartOfMonthIn(t, zone));
}

/**
 * The exclusive end of the month containing `t` in `zone`: the first instant of the next month.
 *
 * @example
 * ```ts
 * endOfMonthIn(new Date('2027-01-31T12:00:00Z'), 'Europe/Berlin').toISOString(); // '2027-01-31T23:00:00.000Z'
 * ```
 */
export function endOfMonthIn(t: Date, zone: string): Date {
  const z = checkZone(zone);
  checkInstant(t);
  return pick(z ? fastEndOfPeriod(z, t.getTime(), 1) : Number.NaN, () => exactEndOfMonthIn(t, zone));
}

/**
 * The first instant of the calendar quarter (Jan, Apr, Jul, Oct) containing `t`, in `zone`.
 *
 * @example
 * ```ts
 * startOfQuarterIn(new Date('2027-05-20T12:00:00Z'), 'UTC').toISOString(); // '2027-04-01T00:00:00.000Z'
 * ```
 */
export function startOfQuarterIn(t: Date, zone: string): Date {
  checkInstant(t);
  const z = checkZone(zone);
  return pick(z ? fastStartOfPeriod(z, t.getTime(), 3) : Number.NaN, () => exactStartOfQuarterIn(t, zone));
}

/**
 * The exclusive end of the quarter containing `t` in `zone`: the first instant of the next one.
 *
 * @example
 * ```ts
 * endOfQuarterIn(new Date('2027-05-20T12:00:00Z'), 'UTC').toISOString(); // '2027-07-01T00:00:00.000Z'
 * ```
 */
export function endOfQuarterIn(t: Date, zone: string): Date {
  const z = checkZone(zone);
  checkInstant(t);
  return pick(z ? fastEndOfPeriod(z, t.getTime(), 3) : Number.NaN, () => exactEndOfQuarterIn(t, zone));
}

/**
 * The first instant of the calendar year containing `t`, in `zone`.
 *
 * @example
 * ```ts
 * startOfYearIn(new Date('2027-01-01T03:00:00Z'), 'America/New_York').toISOString(); // '2026-01-01T05:00:00.000Z'
 * ```
 */
export function startOfYearIn(t: Date, zone: string): Date {
  checkInstant(t);
  const z = checkZone(zone);
  return pick(z ? fastStartOfPeriod(z, t.getTime(), 12) : Number.NaN, () => exactStartOfYearIn(t, zone));
}

/**
 * The exclusive end of the year containing `t` in `zone`: 00:00 on the next 1 January. Points
 * "usable through 31 Dec" are gone at this instant.
 *
 * @example
 * ```ts
 * endOfYearIn(new Date('2027-06-01T00:00:00Z'), 'Europe/Berlin').toISOString(); // '2027-12-31T23:00:00.000Z'
 * ```
 */
export function endOfYearIn(t: Date, zone: string): Date {
  const z = checkZone(zone);
  checkInstant(t);
  return pick(z ? fastEndOfPeriod(z, t.getTime(), 12) : Number.NaN, () => exactEndOfYearIn(t, zone));
}

/**
 * Adds `n` calendar days in `zone`, keeping the wall-clock time across DST changes (so the
 * result may be 23 or 25 hours per day away). A wall time that does not exist on the target day
 * moves forward by the gap.
 *
 * @param n - a safe integer, may be negative
 * @throws LoyaltyError `invalid_count` (path `['n']`)
 * @example
 * ```ts
 * // a 30-day trial from 31 Jan 2027 00:00 ends at 00:00 on 2 Mar 2027
 * addDaysIn(new Date('2027-01-31T00:00:00+01:00'), 30, 'Europe/Berlin').toISOString(); // '2027-03-01T23:00:00.000Z'
 * ```
 */
export function addDaysIn(t: Date, n: number, zone: string): Date {
  checkInstant(t);
  checkCount(n, 'n');
  const z = checkZone(zone);
  if (n === 0) return new Date(t.getTime());
  return pick(z ? fastAddDays(z, t.getTime(), n) : Number.NaN, () => exactAddDaysIn(t, n, zone));
}

/**
 * Adds `n` calendar months in `zone` with anchor-day semantics: the day of month of `t` is kept,
 * clamped to the target month's last day, and each call counts from the instant given (so add
 * 1, 2, 3 … months to the original anchor rather than chaining). Keeps the wall-clock time.
 *
 * @param n - a safe integer, may be negative
 * @throws LoyaltyError `invalid_count` (path `['n']`)
 * @example
 * ```ts
 * const anchor = new Date('2027-01-31T10:00:00Z');
 * addMonthsIn(anchor, 1, 'UTC').toISOString(); // '2027-02-28T10:00:00.000Z'
 * addMonthsIn(anchor, 2, 'UTC').toISOString(); // '2027-03-31T10:00:00.000Z'
 * addMonthsIn(anchor, 13, 'UTC').toISOString(); // '2028-02-29T10:00:00.000Z'
 * ```
 */
export function addMonthsIn(t: Date, n: number, zone: string): Date {
  checkInstant(t);
  checkCount(n, 'n');
  const z = checkZone(zone);
  if (n === 0) return new Date(t.getTime());
  return pick(z ? fastAddMonths(z, t.getTime(), n) : Number.NaN, () => exactAddMonthsIn(t, n, zone));
}

/**
 * The wall-clock fields of an instant in a zone.
 *
 * @example
 * ```ts
 * const p: ZonedParts = zonedParts(new Date('2027-03-14T12:00:00Z'), 'Pacific/Auckland');
 * // { year: 2027, month: 3, day: 15, hour: 1, minute: 0, second: 0, dayOfWeek: 1 }
 * ```
 */
export interface ZonedParts {
  readonly year: number;
  /** 1 = January … 12 = December. */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly dayOfWeek: number;
}

/**
 * Reads the wall-clock fields of `t` in `zone`.
 *
 * @example
 * ```ts
 * zonedParts(new Date('2027-03-14T12:00:00Z'), 'Pacific/Auckland').day; // 15
 * zonedParts(new Date('2027-03-14T12:00:00Z'), 'UTC').day; // 14
 * ```
 */
export function zonedParts(t: Date, zone: string): ZonedParts {
  const z = checkZone(zone);
  checkInstant(t);
  const f = (z ? fastWallFields(z, t.getTime()) : undefined) ?? exactWallFields(t, zone);
  return Object.freeze({
    year: f.year,
    month: f.month0 + 1,
    day: f.day,
    hour: f.hour,
    minute: f.minute,
    second: f.second,
    dayOfWeek: f.dayOfWeek,
  });
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * The number of days in a month of the proleptic Gregorian calendar.
 *
 * @param month - 1 = January … 12 = December
 * @example
 * ```ts
 * daysInMonth(2027, 2); // 28
 * daysInMonth(2028, 2); // 29
 * ```
 */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

type LocalDateTimeArgs =
  | [year: number, month: number, day: number, zone: string]
  | [year: number, month: number, day: number, hour: number, minute: number, zone: string];

/**
 * The instant at which a wall-clock date and time occurs in `zone`. A time inside a
 * spring-forward gap moves forward by the gap (02:30 on 14 Mar 2027 in New York is 03:30 EDT); a
 * time repeated at fall-back resolves to the earlier instant.
 *
 * @param args - `year, month (1-12), day, zone` or `year, month, day, hour, minute, zone`
 * @throws LoyaltyError `invalid_date` for out-of-range fields (year 1000–9999),
 *   `invalid_time_zone`
 * @example
 * ```ts
 * localDateTimeIn(2027, 3, 15, 'Pacific/Auckland').toISOString(); // '2027-03-14T11:00:00.000Z'
 * localDateTimeIn(2027, 3, 14, 9, 30, 'America/New_York').toISOString(); // '2027-03-14T13:30:00.000Z'
 * ```
 */
export function localDateTimeIn(...args: LocalDateTimeArgs): Date {
  const [year, month, day] = args;
  const [hour, minute, zone] = args.length === 4 ? [0, 0, args[3]] : [args[3], args[4], args[5]];
  const z = checkZone(zone);
  const fields: [string, number, number, number][] = [
    ['year', year, 1000, 9999],
    ['month', month, 1, 12],
    ['hour', hour, 0, 23],
    ['minute', minute, 0, 59],
  ];
  for (const [name, value, min, max] of fields) {
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      refuse('invalid_date', [name], `${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
    }
  }
  const last = daysInMonth(year, month);
  if (!Number.isSafeInteger(day) || day < 1 || day > last) {
    refuse('invalid_date', ['day'], `day must be an integer from 1 to ${last} in ${year}-${String(month).padStart(2, '0')}, got ${String(day)}`);
  }
  return pick(z ? fastLocalDateTime(z, year, month, day, hour, minute) : Number.NaN, () => exactLocalDateTimeIn(year, month, day, hour, minute, zone));
}
