import { daysInMonth, localDateTimeIn, startOfDayIn, zonedParts } from './calendar';
import { refuse } from './internal/refuse';

/**
 * A birthday: a month (1-12) and a day of that month. 29 February is allowed.
 *
 * @example
 * ```ts
 * const b: Birthday = { month: 3, day: 15 };
 * ```
 */
export interface Birthday {
  readonly month: number;
  readonly day: number;
}

/**
 * What the birthday functions accept: a {@link Birthday}, a full date `'YYYY-MM-DD'` (the year
 * is checked, then dropped) or a year-less `'--MM-DD'` (ISO 8601 / vCard).
 *
 * @example
 * ```ts
 * const inputs: BirthdayInput[] = [{ month: 2, day: 29 }, '1992-02-29', '--02-29'];
 * ```
 */
export type BirthdayInput = Birthday | string;

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEARLESS_DATE = /^--(\d{2})-(\d{2})$/;
// A leap year, for checking a year-less day: 29 Feb is a real birthday.
const ANY_LEAP_YEAR = 2000;

function build(month: number, day: number, year: number, path: readonly (string | number)[], input: unknown): Birthday {
  if (!Number.isSafeInteger(month) || month < 1 || month > 12 || !Number.isSafeInteger(day) || day < 1 || day > daysInMonth(year, month)) {
    refuse('invalid_birthday', path, `${JSON.stringify(input)} is not a valid birthday`);
  }
  return Object.freeze({ month, day });
}

/**
 * Parses and validates a birthday.
 *
 * @param input - a `{ month, day }` object, `'YYYY-MM-DD'` or `'--MM-DD'`
 * @param path - where the value sits in the caller's input, for the issue (default `['birthday']`)
 * @returns a frozen `{ month, day }`
 * @throws LoyaltyError `invalid_birthday` for anything else, including dates that do not exist
 *   (`'--02-30'`, `'2027-02-29'`)
 * @example
 * ```ts
 * parseBirthday('1990-03-15'); // { month: 3, day: 15 }
 * parseBirthday('--02-29'); // { month: 2, day: 29 }
 * parseBirthday('--02-30'); // throws LoyaltyError('invalid_birthday')
 * ```
 */
export function parseBirthday(input: unknown, path: readonly (string | number)[] = ['birthday']): Birthday {
  if (typeof input === 'string') {
    const full = FULL_DATE.exec(input);
    if (full) return build(Number(full[2]), Number(full[3]), Number(full[1]), path, input);
    const yearless = YEARLESS_DATE.exec(input);
    if (yearless) return build(Number(yearless[1]), Number(yearless[2]), ANY_LEAP_YEAR, path, input);
    return refuse('invalid_birthday', path, `${JSON.stringify(input)} is not 'YYYY-MM-DD' or '--MM-DD'`);
  }
  if (typeof input === 'object' && input !== null && 'month' in input && 'day' in input) {
    const { month, day } = input;
    if (typeof month === 'number' && typeof day === 'number') return build(month, day, ANY_LEAP_YEAR, path, input);
  }
  return refuse('invalid_birthday', path, 'expected { month, day }, \'YYYY-MM-DD\' or \'--MM-DD\'');
}

/**
 * The day on which a birthday is celebrated in `year`: itself, except 29 February, which falls on
 * 28 February in non-leap years.
 *
 * @example
 * ```ts
 * birthdayInYear('--02-29', 2027); // { month: 2, day: 28 }
 * birthdayInYear('--02-29', 2028); // { month: 2, day: 29 }
 * ```
 */
export function birthdayInYear(birthday: BirthdayInput, year: number): Birthday {
  const b = parseBirthday(birthday);
  if (!Number.isSafeInteger(year)) refuse('invalid_date', ['year'], `${String(year)} is not an integer year`);
  return b.day > daysInMonth(year, b.month) ? Object.freeze({ month: b.month, day: daysInMonth(year, b.month) }) : b;
}

/**
 * True when `t` falls on the customer's birthday, judged in the customer's own zone.
 *
 * @param zone - the customer's IANA time zone
 * @example
 * ```ts
 * const t = new Date('2027-03-14T12:00:00Z'); // 15 March 01:00 in Auckland
 * isBirthday(t, '--03-15', 'Pacific/Auckland'); // true
 * isBirthday(t, '--03-15', 'UTC'); // false
 * ```
 */
export function isBirthday(t: Date, birthday: BirthdayInput, zone: string): boolean {
  const p = zonedParts(t, zone);
  const b = birthdayInYear(birthday, p.year);
  return p.month === b.month && p.day === b.day;
}

/**
 * True when `t` falls in the customer's birthday month, judged in the customer's own zone.
 *
 * @example
 * ```ts
 * isBirthdayMonth(new Date('2027-03-31T12:00:00Z'), '--03-15', 'UTC'); // true
 * isBirthdayMonth(new Date('2027-03-31T12:00:00Z'), '--03-15', 'Pacific/Auckland'); // false (1 April there)
 * ```
 */
export function isBirthdayMonth(t: Date, birthday: BirthdayInput, zone: string): boolean {
  return zonedParts(t, zone).month === parseBirthday(birthday).month;
}

/**
 * The first instant, strictly after `t`, at which a birthday day begins in the customer's zone.
 * While `t` is before this year's birthday that is this year's start; from the very start of the
 * birthday day on (including the start instant itself) it is next year's. Use {@link isBirthday}
 * to ask whether `t` is on the birthday; `tick` uses this to schedule the next birthday bonus.
 *
 * @example
 * ```ts
 * nextBirthdayStart(new Date('2027-01-10T00:00:00Z'), '--03-15', 'UTC').toISOString(); // '2027-03-15T00:00:00.000Z'
 * nextBirthdayStart(new Date('2027-03-15T08:00:00Z'), '--03-15', 'UTC').toISOString(); // '2028-03-15T00:00:00.000Z'
 * nextBirthdayStart(new Date('2027-01-10T00:00:00Z'), '--02-29', 'UTC').toISOString(); // '2027-02-28T00:00:00.000Z'
 * ```
 */
export function nextBirthdayStart(t: Date, birthday: BirthdayInput, zone: string): Date {
  const { year } = zonedParts(t, zone);
  const b = parseBirthday(birthday);
  for (const y of [year, year + 1]) {
    const day = birthdayInYear(b, y);
    // Noon always exists, so its day's start is the birthday's first instant even when midnight is skipped.
    const start = startOfDayIn(localDateTimeIn(y, day.month, day.day, 12, 0, zone), zone);
    if (start.getTime() > t.getTime()) return start;
  }
  // The birthday of the year after t's local year always begins after t.
  return refuse('invalid_instant', ['at'], 'no next birthday found');
}
