import * as z from 'zod/mini';
import { transformWith } from './internal/mini';
import { attributesSchema, idSchema, instantSchema, timeZoneSchema } from './primitives';
import { strictObject } from './issues';

const BIRTHDAY_RE = /^(\d{4}|-)-(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A birthday as `YYYY-MM-DD` or `--MM-DD` (year unknown), parsed to its month and day; 29 Feb is
 * allowed without a year or in a leap year.
 *
 * @example
 * ```ts
 * birthdaySchema.parse('1990-07-14'); // { month: 7, day: 14 }
 * birthdaySchema.parse('--02-29'); // { month: 2, day: 29 }
 * birthdaySchema.safeParse('1991-02-29').success; // false (invalid_birthday)
 * ```
 */
export const birthdaySchema = z.pipe(z.string(), transformWith((text: string, ctx) => {
  const m = BIRTHDAY_RE.exec(text);
  const month = m ? Number(m[2]) : 0;
  const day = m ? Number(m[3]) : 0;
  const year = m?.[1] === '-' ? undefined : Number(m?.[1]);
  // 29 Feb is a birthday without a year or in a leap year; 1991-02-29 never happened.
  const leap = year === undefined || (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const max = month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1];
  if (!m || max === undefined || day < 1 || day > max) {
    ctx.addIssue({ code: 'custom', message: 'expected a birthday as "YYYY-MM-DD" or "--MM-DD"', params: { code: 'invalid_birthday' } });
    return z.NEVER;
  }
  return { month, day };
}));

/**
 * A customer profile. `timeZone` is the customer's own zone (birthdays are judged in it);
 * it defaults to the program's zone when absent. Unknown fields are refused with a hint
 * (`birthdate` → did you mean `birthday`?); the host's own data goes in `attributes`.
 *
 * @example
 * ```ts
 * customerSchema.parse({ id: 'c1', enrolledAt: '2027-01-01T00:00:00Z', birthday: '1990-02-29', timeZone: 'Pacific/Auckland' });
 * ```
 */
export const customerSchema = strictObject({
  id: idSchema,
  enrolledAt: instantSchema,
  birthday: z.optional(birthdaySchema),
  timeZone: z.optional(timeZoneSchema),
  tags: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(100))).check(z.maxLength(100)), []),
  attributes: z._default(attributesSchema, {}),
});

/** A parsed customer profile. */
export type Customer = z.output<typeof customerSchema>;
/**
 * A customer profile as the host sends it: `enrolledAt` is an `InstantInput`; unknown keys in a
 * fresh object literal (`birthdate`) fail to compile.
 *
 * @example
 * ```ts
 * const customer: CustomerInput = { id: 'c1', enrolledAt: '2027-01-01', birthday: '--07-14' };
 * ```
 */
export type CustomerInput = z.input<typeof customerSchema>;
