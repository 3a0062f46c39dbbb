import {
  endOfDayIn,
  endOfMonthIn,
  endOfQuarterIn,
  endOfWeekIn,
  endOfYearIn,
  startOfDayIn,
  startOfMonthIn,
  startOfQuarterIn,
  startOfWeekIn,
  startOfYearIn,
  zonedParts,
} from '../time/calendar';
import type { MetricsPeriod } from './types';

// Periods are keyed by their first instant (epoch ms), so a key is the same in every shard.
// Finding the period of an instant goes through the zone's calendar, which costs far more than
// the rest of an add; the finder remembers the periods it has met (memory grows with periods,
// never with items) and answers most lookups with one or two comparisons.

const STARTS: Record<MetricsPeriod, (t: Date, zone: string) => Date> = {
  day: startOfDayIn,
  week: startOfWeekIn,
  month: startOfMonthIn,
  quarter: startOfQuarterIn,
  year: startOfYearIn,
};
const ENDS: Record<MetricsPeriod, (t: Date, zone: string) => Date> = {
  day: endOfDayIn,
  week: endOfWeekIn,
  month: endOfMonthIn,
  quarter: endOfQuarterIn,
  year: endOfYearIn,
};

/** The half-open period [start, end) containing an instant, in epoch ms. */
export function periodAround(t: number, period: MetricsPeriod, zone: string): { start: number; end: number } {
  const at = new Date(t);
  return { start: STARTS[period](at, zone).getTime(), end: ENDS[period](at, zone).getTime() };
}

/** Finds period keys fast: the last period found, else a binary search over the sorted known ones. */
export class PeriodFinder {
  private lastStart = 1;
  private lastEnd = 0;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(
    readonly period: MetricsPeriod,
    readonly zone: string,
  ) {
    // Validates the zone once, up front, with the calendar's own error.
    periodAround(0, period, zone);
  }

  /** The start (epoch ms) of the period containing `t`. */
  keyOf(t: number): number {
    if (t >= this.lastStart && t < this.lastEnd) return this.lastStart;
    return this.slowKeyOf(t);
  }

  private slowKeyOf(t: number): number {
    const { starts, ends } = this;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((starts[mid] ?? 0) <= t) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1;
    const start = starts[i];
    const end = ends[i];
    if (start !== undefined && end !== undefined && t < end) return this.remember(start, end);
    const found = periodAround(t, this.period, this.zone);
    starts.splice(lo, 0, found.start);
    ends.splice(lo, 0, found.end);
    return this.remember(found.start, found.end);
  }

  private remember(start: number, end: number): number {
    this.lastStart = start;
    this.lastEnd = end;
    return start;
  }
}

/** Every period from the one starting at `first` to the one starting at `last`, in order. */
export function periodsBetween(first: number, last: number, period: MetricsPeriod, zone: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let start = first; start <= last; ) {
    const end = ENDS[period](new Date(start), zone).getTime();
    out.push({ start, end });
    start = end;
  }
  return out;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A period's label in its zone: `2027-01-31` (day; week: its Monday), `2027-01`, `2027-Q1`, `2027`. */
export function periodLabel(start: number, period: MetricsPeriod, zone: string): string {
  const p = zonedParts(new Date(start), zone);
  const year = pad(p.year, 4);
  switch (period) {
    case 'day':
    case 'week':
      return `${year}-${pad(p.month)}-${pad(p.day)}`;
    case 'month':
      return `${year}-${pad(p.month)}`;
    case 'quarter':
      return `${year}-Q${String(Math.floor((p.month - 1) / 3) + 1)}`;
    case 'year':
      return year;
  }
}
