import { refuse } from './refuse';

// An ISO 8601 date-time with an explicit 'Z' or ±hh:mm offset, so it names one instant.
const ISO_INSTANT =
  /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/i;

function lastDay(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A valid Date copied from `at`, or one parsed from an ISO string that carries an offset. */
export function toInstant(at: Date | string, path: readonly (string | number)[] = ['at']): Date {
  if (typeof at === 'string') {
    const match = ISO_INSTANT.exec(at);
    if (!match) refuse('invalid_instant', path, `${JSON.stringify(at)} is not an ISO 8601 date-time with 'Z' or an offset`);
    // Date parsing rolls 30 February over into March; refuse it instead.
    const [, year, month, day] = match;
    if (Number(day) > lastDay(Number(year), Number(month))) refuse('invalid_instant', path, `${JSON.stringify(at)} is not a calendar date`);
    const parsed = new Date(at);
    if (Number.isNaN(parsed.getTime())) refuse('invalid_instant', path, `${JSON.stringify(at)} is not a valid date-time`);
    return parsed;
  }
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) refuse('invalid_instant', path, 'expected a valid Date');
  return new Date(at.getTime());
}
