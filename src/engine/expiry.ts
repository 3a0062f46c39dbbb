import { addDaysIn, addMonthsIn, daysInMonth, endOfMonthIn, endOfQuarterIn, endOfYearIn, localDateTimeIn, zonedParts } from '../time';
import { UnreachableError } from '../errors';
import type { ExpiryPolicy } from '../schema/program';

/**
 * The instant a lot earned at `earnedAt` is gone under `policy`, in the program's zone; null for
 * never (and for inactivity, which `tick` applies to the whole account). SPEC §2b:
 * - rolling N days/months keeps the wall-clock time of earning (anchor day for months);
 * - a fixed date such as 31 Dec means usable through that day, gone at 00:00 the day after;
 * - end of month/quarter/year after N months is gone at 00:00 on the first day of the next period.
 *
 * @example
 * ```ts
 * expiresAt({ kind: 'rolling', months: 1 }, new Date('2027-01-31T15:00:00Z'), 'UTC'); // 2027-02-28T15:00Z
 * ```
 */
export function expiresAt(policy: ExpiryPolicy, earnedAt: Date, zone: string): Date | null {
  switch (policy.kind) {
    case 'never':
    case 'inactivity':
      return null;
    case 'rolling':
      return policy.days !== undefined ? addDaysIn(earnedAt, policy.days, zone) : addMonthsIn(earnedAt, policy.months ?? 0, zone);
    case 'fixed_date': {
      const p = zonedParts(earnedAt, zone);
      const dayIn = (year: number) => Math.min(policy.day, daysInMonth(year, policy.month));
      let year = p.year;
      const earned = p.month * 100 + p.day;
      if (earned > policy.month * 100 + dayIn(year)) year += 1;
      const lastDay = localDateTimeIn(year, policy.month, dayIn(year), 0, 0, zone);
      return addDaysIn(lastDay, 1, zone);
    }
    case 'end_of_period': {
      const shifted = addMonthsIn(earnedAt, policy.afterMonths, zone);
      if (policy.period === 'month') return endOfMonthIn(shifted, zone);
      if (policy.period === 'quarter') return endOfQuarterIn(shifted, zone);
      return endOfYearIn(shifted, zone);
    }
    default: {
      void (policy satisfies never);
      throw new UnreachableError(policy);
    }
  }
}
