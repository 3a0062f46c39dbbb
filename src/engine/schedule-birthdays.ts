import type { AccountState } from '../ledger/types';
import { yearPaid } from '../ledger/read';
import type { Customer } from '../schema/customer';
import { birthdayInYear, localDateTimeIn, zonedParts, type Birthday } from '../time';
import type { Program } from './program-type';

// When a customer's birthday bonus starts, in their zone: the instant `tick` pays it from, and
// one of the instants `nextDueAt` schedules. A schedule asks after every write for this year's
// and next year's start; each is a zoned wall time resolved through the zone's offsets. A
// caller that keeps accounts between calls (the simulator keeps one per customer) passes a
// `BirthdayStarts` to compute each year once.

/**
 * One customer's birthday starts, for the two years last asked (a schedule asks for this year
 * and the next). It remembers what they were computed from (the birthday, the zone, the
 * program's `on`), so a changed profile or program computes afresh rather than reading a stale
 * start. Not shared between customers: one per account.
 */
export class BirthdayStarts {
  private month = Number.NaN;
  private day = Number.NaN;
  private zone = '';
  private onMonth = false;
  private yearA = Number.NaN;
  private startA = Number.NaN;
  private yearB = Number.NaN;
  private startB = Number.NaN;

  /** The start of `year`'s birthday in ms, from the two remembered years or computed and remembered. */
  startOf(birthday: Birthday, zone: string, onMonth: boolean, year: number): number {
    if (birthday.month !== this.month || birthday.day !== this.day || zone !== this.zone || onMonth !== this.onMonth) {
      this.month = birthday.month;
      this.day = birthday.day;
      this.zone = zone;
      this.onMonth = onMonth;
      this.yearA = Number.NaN;
      this.yearB = Number.NaN;
    }
    if (year === this.yearA) return this.startA;
    if (year === this.yearB) return this.startB;
    // The older year makes way: B moves to A, the new year takes B.
    const start = computeStart(birthday, zone, onMonth, year);
    this.yearA = this.yearB;
    this.startA = this.startB;
    this.yearB = year;
    this.startB = start;
    return start;
  }
}

function computeStart(birthday: Birthday, zone: string, onMonth: boolean, year: number): number {
  const b = birthdayInYear(birthday, year);
  return localDateTimeIn(year, b.month, onMonth ? 1 : b.day, zone).getTime();
}

/**
 * The start of the customer's birthday in `year` (in ms), NaN when the program pays no birthday
 * or the customer gave none. From `cache` when given.
 */
export function birthdayStartMs(program: Program, customer: Customer, year: number, cache?: BirthdayStarts): number {
  const cfg = program.config.birthday;
  if (!cfg || !customer.birthday) return Number.NaN;
  const zone = customer.timeZone ?? program.config.timeZone;
  const onMonth = cfg.on === 'month';
  return cache ? cache.startOf(customer.birthday, zone, onMonth, year) : computeStart(customer.birthday, zone, onMonth, year);
}

/**
 * True when `tick` at `t` + 1 ms is still in `year` (in `zone`), so it pays that year's birthday
 * owed at `t` (its start at or before `t`, unpaid). The kinds' birthday gifts share it.
 */
export function owedInYear(t: number, zone: string, year: number): boolean {
  return zonedParts(new Date(t + 1), zone).year === year;
}

/**
 * The next birthday start after `after` (ms) that `tick` would pay: this year's or next year's
 * (in the customer's zone, from the later of `after` and enrolment), not before enrolment and
 * later than the last year paid. This year's, started at or before `after` and unpaid (a
 * birthday, zone or enrolment given by a profile update after the last tick), is due at once,
 * `after` + 1 ms, when that instant is still in its year: `tick` then pays it.
 * Infinity when there is none.
 */
export function nextBirthdayDue(program: Program, account: AccountState, after: Date, customer: Customer, cache?: BirthdayStarts): number {
  if (!program.config.birthday || !customer.birthday) return Number.POSITIVE_INFINITY;
  const zone = customer.timeZone ?? program.config.timeZone;
  const t = after.getTime();
  const enrolled = customer.enrolledAt.getTime();
  // From the later of `after` and enrolment: birthdays before enrolment are never paid.
  const year = zonedParts(t > enrolled ? after : customer.enrolledAt, zone).year;
  const paid = yearPaid(account, 'birthday');
  let best = Number.POSITIVE_INFINITY;
  for (const y of [year, year + 1]) {
    if (y <= paid) continue;
    const start = birthdayStartMs(program, customer, y, cache);
    if (!(start >= enrolled)) continue;
    if (start > t) best = Math.min(best, start);
    else if (owedInYear(t, zone, y)) best = Math.min(best, t + 1);
  }
  return best;
}
