import { TZDate } from '@date-fns/tz/date';
import { tz } from '@date-fns/tz/tz';
// Each function from its own subpath: the date-fns index loads all ~250 modules at import time.
import { addDays } from 'date-fns/addDays';
import { addMonths } from 'date-fns/addMonths';
import { addQuarters } from 'date-fns/addQuarters';
import { addWeeks } from 'date-fns/addWeeks';
import { addYears } from 'date-fns/addYears';
import { startOfDay } from 'date-fns/startOfDay';
import { startOfMonth } from 'date-fns/startOfMonth';
import { startOfQuarter } from 'date-fns/startOfQuarter';
import { startOfWeek } from 'date-fns/startOfWeek';
import { startOfYear } from 'date-fns/startOfYear';
import { refuse } from './refuse';

// The exact path: date-fns + @date-fns/tz, as the library computed every result before the fast
// path (./fast.ts) existed. The fast path defers to these whenever a zone changes its offset
// near the instants involved, and the tests check the two agree everywhere else. Arguments are
// already validated by the caller.

/** The wall-clock fields of an instant in a zone, as numbers (month 0-11, day of week 0 = Sunday). */
export interface WallFields {
  year: number;
  month0: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  dayOfWeek: number;
}

function inZone(zone: string): { in: ReturnType<typeof tz> } {
  return { in: tz(zone) };
}

// date-fns returns TZDate objects when given `in: tz(zone)`; the library deals in plain instants.
function plain(d: Date): Date {
  const out = new Date(d.getTime());
  if (Number.isNaN(out.getTime())) refuse('invalid_instant', ['at'], 'the result is outside the Date range');
  return out;
}

export function exactStartOfDayIn(t: Date, zone: string): Date {
  return plain(startOfDay(t, inZone(zone)));
}

export function exactEndOfDayIn(t: Date, zone: string): Date {
  const z = inZone(zone);
  return plain(startOfDay(addDays(startOfDay(t, z), 1, z), z));
}

export function exactStartOfWeekIn(t: Date, zone: string): Date {
  return plain(startOfWeek(t, { ...inZone(zone), weekStartsOn: 1 }));
}

export function exactEndOfWeekIn(t: Date, zone: string): Date {
  const z = inZone(zone);
  const options = { ...z, weekStartsOn: 1 as const };
  return plain(startOfWeek(addWeeks(startOfWeek(t, options), 1, z), options));
}

export function exactStartOfMonthIn(t: Date, zone: string): Date {
  return plain(startOfMonth(t, inZone(zone)));
}

export function exactEndOfMonthIn(t: Date, zone: string): Date {
  const z = inZone(zone);
  return plain(startOfMonth(addMonths(startOfMonth(t, z), 1, z), z));
}

export function exactStartOfQuarterIn(t: Date, zone: string): Date {
  return plain(startOfQuarter(t, inZone(zone)));
}

export function exactEndOfQuarterIn(t: Date, zone: string): Date {
  const z = inZone(zone);
  return plain(startOfQuarter(addQuarters(startOfQuarter(t, z), 1, z), z));
}

export function exactStartOfYearIn(t: Date, zone: string): Date {
  return plain(startOfYear(t, inZone(zone)));
}

export function exactEndOfYearIn(t: Date, zone: string): Date {
  const z = inZone(zone);
  return plain(startOfYear(addYears(startOfYear(t, z), 1, z), z));
}

export function exactAddDaysIn(t: Date, n: number, zone: string): Date {
  return plain(addDays(t, n, inZone(zone)));
}

export function exactAddMonthsIn(t: Date, n: number, zone: string): Date {
  return plain(addMonths(t, n, inZone(zone)));
}

export function exactWallFields(t: Date, zone: string): WallFields {
  const d = new TZDate(t.getTime(), zone);
  return {
    year: d.getFullYear(),
    month0: d.getMonth(),
    day: d.getDate(),
    hour: d.getHours(),
    minute: d.getMinutes(),
    second: d.getSeconds(),
    dayOfWeek: d.getDay(),
  };
}

/** `localDateTimeIn` with fields already checked (month 1-12). */
export function exactLocalDateTimeIn(year: number, month: number, day: number, hour: number, minute: number, zone: string): Date {
  return plain(new TZDate(year, month - 1, day, hour, minute, zone));
}
