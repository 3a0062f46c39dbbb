import { changeBetween, offsetAt, wallShiftSeconds } from './offset';
import type { ZoneOffsets } from './offset';
import type { WallFields } from './exact';

// The fast path of the calendar functions: plain UTC arithmetic on wall-clock times, from the
// zone's offsets (./offset.ts). Each function returns an instant in ms, or NaN when it cannot
// vouch for the result, and the caller then takes the exact path (./exact.ts): date-fns +
// @date-fns/tz. Where it answers, it answers what they answer; the tests compare the two.
//
// date-fns moves an instant by setting wall-clock fields in the zone, one setter at a time, and
// each setter resolves the new wall time to an instant. The functions below resolve the same
// wall times, in the same order. A wall time W resolves plainly when exactly one instant shows
// it; the fast path declines when W falls in a gap (spring forward) or a repeated hour (fall
// back), where date-fns has its own rules.
//
// Uniqueness: two instants showing the same wall time are less than 27 h apart (offsets
// range over 26 h), so it is enough to know the changes of offset within 27 h either side.
// Those are found from the offsets 27 h before and after (a change in between is located by
// bisection and remembered), which assumes no zone changes its offset and back again within
// 27 hours — true of every zone in the tz database.

const MINUTE = 60_000;
const DAY = 86_400_000;
const R = 27 * 3_600_000;
// Instants and wall times handled here: years 1001–9998, far from the ends of the Date range,
// where Date.UTC reads a year as itself.
const LO = Date.UTC(1001, 0, 1);
const HI = Date.UTC(9998, 11, 31);

const scratch = new Date(0);

/** The wall clock of `t` as a UTC ms value, or NaN when `t`'s offset is not a whole number of minutes. */
function wallOf(z: ZoneOffsets, t: number): number {
  if (!(t >= LO && t <= HI)) return Number.NaN;
  const o = offsetAt(z, t);
  return Number.isInteger(o) ? t + o * MINUTE : Number.NaN;
}

/** True when wall time `w`, shown at `u` (offset `o`), is shown by no other instant on the side `dir` of `u`. */
function aloneOnSide(z: ZoneOffsets, w: number, u: number, o: number, dir: -1 | 1): boolean {
  const p = u + dir * R;
  const op = offsetAt(z, p);
  if (op === o) return true;
  if (!Number.isInteger(op)) return false;
  const c = dir < 0 ? changeBetween(z, p, op, u, o) : changeBetween(z, u, o, p, op);
  if (c === undefined) return false;
  // The wall times of a gap or of a repeated hour lie between the two offsets from the change.
  const low = c.at + Math.min(c.before, c.after) * MINUTE;
  const high = c.at + Math.max(c.before, c.after) * MINUTE;
  return w < low || w >= high;
}

/** The one instant showing wall time `w` (`hint`: a likely offset), or NaN when there is not exactly one. */
function resolve(z: ZoneOffsets, w: number, hint: number): number {
  if (!(w >= LO && w <= HI)) return Number.NaN;
  let o = hint;
  let u = w - o * MINUTE;
  const at = offsetAt(z, u);
  if (at !== o) {
    if (!Number.isInteger(at)) return Number.NaN;
    o = at;
    u = w - o * MINUTE;
    if (offsetAt(z, u) !== o) return Number.NaN; // in a gap
  }
  return aloneOnSide(z, w, u, o, -1) && aloneOnSide(z, w, u, o, 1) ? u : Number.NaN;
}

/** The offset (minutes) at which instant `u` shows wall time `w`. */
function offsetOf(w: number, u: number): number {
  return (w - u) / MINUTE;
}

function dayStart(w: number): number {
  return Math.floor(w / DAY) * DAY;
}

/** Wall-clock fields of `t` (always answers: an offset is read exactly when its bucket has a change). */
export function fastWallFields(z: ZoneOffsets, t: number): WallFields | undefined {
  if (!(t >= LO && t <= HI)) return undefined;
  scratch.setTime(t + wallShiftSeconds(offsetAt(z, t)) * 1000);
  return {
    year: scratch.getUTCFullYear(),
    month0: scratch.getUTCMonth(),
    day: scratch.getUTCDate(),
    hour: scratch.getUTCHours(),
    minute: scratch.getUTCMinutes(),
    second: scratch.getUTCSeconds(),
    dayOfWeek: scratch.getUTCDay(),
  };
}

// startOfDay: setHours(0, 0, 0, 0).
export function fastStartOfDay(z: ZoneOffsets, t: number): number {
  const w = wallOf(z, t);
  return w === w ? resolve(z, dayStart(w), offsetOf(w, t)) : Number.NaN;
}

// startOfDay(addDays(startOfDay(t), 1)).
export function fastEndOfDay(z: ZoneOffsets, t: number): number {
  const start = fastStartOfDay(z, t);
  if (start !== start) return Number.NaN;
  const w = dayStart(wallOf(z, t));
  return resolve(z, w + DAY, offsetOf(w, start));
}

/**
 * A start-of-period in date-fns: one setter moves to the period's first day keeping the time
 * of day (`first + time`), then setHours(0, 0, 0, 0) moves to `first`.
 */
function startFrom(z: ZoneOffsets, first: number, time: number, o: number): number {
  const via = resolve(z, first + time, o);
  return via === via ? resolve(z, first, o) : Number.NaN;
}

function weekStartWall(w: number): number {
  scratch.setTime(w);
  return dayStart(w) - ((scratch.getUTCDay() + 6) % 7) * DAY;
}

// startOfWeek (weekStartsOn 1): setDate(getDate() − diff), then setHours(0, 0, 0, 0).
export function fastStartOfWeek(z: ZoneOffsets, t: number): number {
  const w = wallOf(z, t);
  return w === w ? startFrom(z, weekStartWall(w), w - dayStart(w), offsetOf(w, t)) : Number.NaN;
}

// startOfWeek(addWeeks(startOfWeek(t), 1)): the next Monday, 00:00.
export function fastEndOfWeek(z: ZoneOffsets, t: number): number {
  const start = fastStartOfWeek(z, t);
  if (start !== start) return Number.NaN;
  const first = weekStartWall(wallOf(z, t));
  return resolve(z, first + 7 * DAY, offsetOf(first, start));
}

/** First day (00:00) of the period of `months` months (1, 3 or 12) containing wall time `w`. */
function periodStartWall(w: number, months: 1 | 3 | 12): number {
  scratch.setTime(w);
  const m = scratch.getUTCMonth();
  return Date.UTC(scratch.getUTCFullYear(), months === 12 ? 0 : m - (m % months), 1);
}

// startOfMonth: setDate(1); startOfQuarter: setMonth(m, 1); startOfYear: setFullYear(y, 0, 1);
// then setHours(0, 0, 0, 0).
export function fastStartOfPeriod(z: ZoneOffsets, t: number, months: 1 | 3 | 12): number {
  const w = wallOf(z, t);
  return w === w ? startFrom(z, periodStartWall(w, months), w - dayStart(w), offsetOf(w, t)) : Number.NaN;
}

/**
 * date-fns `addMonths` from wall time `w` (offset `o`): first setMonth(m + n + 1, 0), the last
 * day of the target month at the same time of day; that is the result when the original day
 * of month does not fit, else setFullYear(year, month, day) on the original time of day.
 */
function addMonthsWall(z: ZoneOffsets, w: number, n: number, o: number): number {
  scratch.setTime(w);
  const year = scratch.getUTCFullYear();
  const month = scratch.getUTCMonth();
  const day = scratch.getUTCDate();
  const time = w - dayStart(w);
  const last = Date.UTC(year, month + n + 1, 0) + time;
  const lastAt = resolve(z, last, o);
  if (lastAt !== lastAt) return Number.NaN;
  scratch.setTime(last);
  if (day >= scratch.getUTCDate()) return lastAt;
  return resolve(z, Date.UTC(scratch.getUTCFullYear(), scratch.getUTCMonth(), day) + time, offsetOf(last, lastAt));
}

// startOfX(addMonths(startOfX(t), months)); the outer startOfX resolves the same wall time again.
export function fastEndOfPeriod(z: ZoneOffsets, t: number, months: 1 | 3 | 12): number {
  const start = fastStartOfPeriod(z, t, months);
  if (start !== start) return Number.NaN;
  const first = periodStartWall(wallOf(z, t), months);
  return addMonthsWall(z, first, months, offsetOf(first, start));
}

// addDays: setDate(getDate() + n).
export function fastAddDays(z: ZoneOffsets, t: number, n: number): number {
  const w = wallOf(z, t);
  return w === w ? resolve(z, w + n * DAY, offsetOf(w, t)) : Number.NaN;
}

export function fastAddMonths(z: ZoneOffsets, t: number, n: number): number {
  const w = wallOf(z, t);
  return w === w ? addMonthsWall(z, w, n, offsetOf(w, t)) : Number.NaN;
}

/** The instant of a wall-clock date and time (fields already checked). */
export function fastLocalDateTime(z: ZoneOffsets, year: number, month: number, day: number, hour: number, minute: number): number {
  const w = Date.UTC(year, month - 1, day, hour, minute);
  if (!(w >= LO && w <= HI)) return Number.NaN;
  const hint = offsetAt(z, w);
  return Number.isInteger(hint) ? resolve(z, w, hint) : Number.NaN;
}
