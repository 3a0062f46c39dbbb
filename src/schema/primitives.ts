import * as z from 'zod/mini';
import { int, preprocess, transformWith, type TransformCtx } from './internal/mini';
import { Decimal } from '../money/decimal';
import { isCurrencyCode, type CurrencyCode } from '../money';
import { isValidTimeZone } from '../time';

/**
 * The earliest instant the library accepts, 1970-01-01T00:00:00Z, in epoch milliseconds
 * (anything earlier is almost surely a bug).
 *
 * @example
 * ```ts
 * new Date(MIN_INSTANT).toISOString(); // '1970-01-01T00:00:00.000Z'
 * ```
 */
export const MIN_INSTANT = Date.UTC(1970, 0, 1);
/**
 * The latest instant the library accepts, 9999-12-31T23:59:59.999Z, in epoch milliseconds
 * (anything later is almost surely a bug).
 *
 * @example
 * ```ts
 * new Date(MAX_INSTANT).toISOString(); // '9999-12-31T23:59:59.999Z'
 * ```
 */
export const MAX_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * A decimal as a host may write it: a decimal string (`'19.99'`), a number (`19.99`, read by its
 * shortest decimal form, never by float arithmetic) or a {@link Decimal}. The string type catches
 * `'five'` or `'abc'` at compile time; the schemas still check every value at run time (digits,
 * sign, `1e5` and other exponent forms are refused there), for JavaScript callers and JSON input.
 *
 * @example
 * ```ts
 * const prices: DecimalInput[] = ['19.99', 19.99, new Decimal('19.99')];
 * // @ts-expect-error -- not a number
 * const bad: DecimalInput = 'five';
 * ```
 */
export type DecimalInput = `${number}` | number | Decimal;

/**
 * An instant as a host may write it: a `Date`, or an ISO 8601 string shaped as a date
 * (`'2027-01-31'`) or a date-time (`'2027-01-31T10:00:00Z'`). The type catches `'yesterday'` at
 * compile time; the offset rule (`Z` or `±hh:mm` required), real calendar days and the 1970-9999
 * range are checked at run time. A plain `string` (say, from `toISOString()` or JSON) must be
 * narrowed or cast, or passed as a `Date`.
 *
 * @example
 * ```ts
 * const times: InstantInput[] = [new Date('2027-01-31T09:00:00Z'), '2027-01-31', '2027-01-31T10:00:00+01:00'];
 * // @ts-expect-error -- not an ISO instant
 * const bad: InstantInput = 'yesterday';
 * ```
 */
export type InstantInput = Date | `${number}-${number}-${number}T${string}` | `${number}-${number}-${number}`;

/** A plain decimal string (the fast event validator in schema/fast/ reads with it too). */
export const DECIMAL_RE = /^-?\d+(\.\d+)?$/;
/** An ISO date or date-time with an offset (also read by schema/fast/). */
export const ISO_INSTANT_RE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * The most digits a decimal may have at the boundary: integer digits without leading zeros plus
 * fraction digits without trailing zeros. The library's Decimal keeps 50 significant digits, so a
 * 30-digit amount times a quantity, a rate or a sum over an order's lines stays exact.
 *
 * @example
 * ```ts
 * decimalSchema.safeParse('9'.repeat(MAX_DECIMAL_DIGITS)).success; // true
 * decimalSchema.safeParse('9'.repeat(MAX_DECIMAL_DIGITS + 1)).success; // false (too_many_digits)
 * ```
 */
export const MAX_DECIMAL_DIGITS = 30;
/** Longest decimal string read at all: judged on its length alone, before any regex or Decimal. */
export const MAX_DECIMAL_LENGTH = 100;

function tooManyDigits(ctx: TransformCtx, shown: string): never {
  ctx.addIssue({
    code: 'custom',
    message: `${shown} has more than ${MAX_DECIMAL_DIGITS} digits (leading zeros and trailing decimal zeros aside); at most ${MAX_DECIMAL_LENGTH} characters`,
    params: { code: 'too_many_digits' },
  });
  return z.NEVER;
}

/** Digits of a plain decimal string that matter: integer digits after leading zeros, decimals before trailing zeros. */
export function digitsOf(text: string): number {
  const unsigned = text.startsWith('-') ? text.slice(1) : text;
  const dot = unsigned.indexOf('.');
  const int = (dot === -1 ? unsigned : unsigned.slice(0, dot)).replace(/^0+/, '');
  const frac = dot === -1 ? '' : unsigned.slice(dot + 1).replace(/0+$/, '');
  return int.length + frac.length;
}

function fromText(text: string, ctx: TransformCtx): Decimal {
  // A million-digit string costs seconds inside Decimal; its length alone refuses it.
  if (text.length > MAX_DECIMAL_LENGTH) return tooManyDigits(ctx, `a ${text.length}-character amount`);
  if (!DECIMAL_RE.test(text)) {
    ctx.addIssue({ code: 'custom', message: `expected a decimal string like "19.99", got "${text.slice(0, 40)}"`, params: { code: 'invalid_amount' } });
    return z.NEVER;
  }
  // Beyond Decimal's 50 digits a value would be rounded silently (10^50 + 5 earned 5 points too many).
  if (digitsOf(text) > MAX_DECIMAL_DIGITS) return tooManyDigits(ctx, `"${text.slice(0, 40)}${text.length > 40 ? '…' : ''}"`);
  return new Decimal(text);
}

function toDecimal(input: unknown, ctx: TransformCtx): Decimal {
  if (typeof input === 'string') return fromText(input, ctx);
  if (typeof input === 'number') {
    // A JSON number is taken by its shortest decimal representation (19.99 → "19.99"): exact,
    // never arithmetic on the double itself. An integer beyond 2^53 was already rounded by
    // JavaScript, so it is refused rather than taken as it was misread.
    const text = String(input);
    if (!Number.isFinite(input) || !DECIMAL_RE.test(text)) {
      ctx.addIssue({ code: 'custom', message: `expected a finite decimal number, got ${text}`, params: { code: 'invalid_amount' } });
      return z.NEVER;
    }
    if (Number.isInteger(input) && !Number.isSafeInteger(input)) {
      ctx.addIssue({ code: 'custom', message: `${text} is beyond Number.MAX_SAFE_INTEGER and may already be rounded: send it as a decimal string`, params: { code: 'invalid_amount' } });
      return z.NEVER;
    }
    return fromText(text, ctx);
  }
  if (Decimal.isDecimal(input)) {
    const d = new Decimal(input);
    if (!d.isFinite()) {
      ctx.addIssue({ code: 'custom', message: 'expected a finite decimal', params: { code: 'invalid_amount' } });
      return z.NEVER;
    }
    // Integer digits (exponent + 1) plus decimal places, read without printing a huge value.
    if (Math.max(0, d.e + 1) + d.decimalPlaces() > MAX_DECIMAL_DIGITS) return tooManyDigits(ctx, 'the Decimal');
    return d;
  }
  ctx.addIssue({ code: 'custom', message: `expected a decimal string or number, got ${input === null ? 'null' : typeof input}`, params: { code: 'invalid_type' } });
  return z.NEVER;
}

/**
 * A decimal given as a string ("19.99") or a JSON number, parsed exactly into a Decimal. At most
 * `MAX_DECIMAL_DIGITS` (30) digits and 100 characters (`too_many_digits`, judged before any
 * Decimal is built); a JSON integer beyond `Number.MAX_SAFE_INTEGER` is refused
 * (`invalid_amount`): send it as a string.
 *
 * @example
 * ```ts
 * decimalSchema.parse('80.00').eq(80); // true
 * decimalSchema.safeParse(`1${'0'.repeat(49)}5`).success; // false (too_many_digits)
 * ```
 */
// z.custom with no check accepts every value, exactly as z.unknown did: it only types the input,
// so the refusals (and their codes) stay those of toDecimal.
export const decimalSchema = z.pipe(z.custom<DecimalInput>(), transformWith<DecimalInput, Decimal>(toDecimal));

/**
 * A decimal that is zero or more (unit prices, discounts, shipping, tax).
 *
 * @example
 * ```ts
 * nonNegativeDecimalSchema.parse('0').isZero(); // true
 * nonNegativeDecimalSchema.safeParse('-1').success; // false (negative_amount)
 * ```
 */
export const nonNegativeDecimalSchema = decimalSchema.check(
  z.refine((d) => !d.isNegative(), { message: 'must be zero or more', params: { code: 'negative_amount' } }),
);

/**
 * A decimal that is more than zero.
 *
 * @example
 * ```ts
 * positiveDecimalSchema.parse(2.5).toString(); // '2.5'
 * positiveDecimalSchema.safeParse('0').success; // false (not_positive)
 * ```
 */
export const positiveDecimalSchema = decimalSchema.check(
  z.refine((d) => d.gt(0), { message: 'must be more than zero', params: { code: 'not_positive' } }),
);

/**
 * A whole, non-negative number of points as a Decimal.
 *
 * @example
 * ```ts
 * wholePointsSchema.parse('500').toString(); // '500'
 * wholePointsSchema.safeParse('12.5').success; // false (invalid_points)
 * ```
 */
export const wholePointsSchema = decimalSchema.check(
  z.refine((d) => d.isInteger() && !d.isNegative(), { message: 'must be a whole number of points, zero or more', params: { code: 'invalid_points' } }),
);

/**
 * An ISO 4217 currency code that is currently active.
 *
 * @example
 * ```ts
 * currencySchema.parse('EUR'); // 'EUR'
 * currencySchema.safeParse('ABC').success; // false (unknown_currency)
 * ```
 */
export const currencySchema = z.string().check(
  z.refine((c) => isCurrencyCode(c), { message: 'must be an active ISO 4217 currency code', params: { code: 'unknown_currency' } }),
) as unknown as z.ZodMiniType<CurrencyCode, string>;

/**
 * An IANA time-zone name, such as `America/New_York`.
 *
 * @example
 * ```ts
 * timeZoneSchema.parse('Europe/Paris'); // 'Europe/Paris'
 * timeZoneSchema.safeParse('Mars/Olympus_Mons').success; // false (invalid_time_zone)
 * ```
 */
export const timeZoneSchema = z.string().check(
  z.refine((zone) => isValidTimeZone(zone), { message: 'must be an IANA time-zone name such as "America/New_York"', params: { code: 'invalid_time_zone' } }),
);

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** True when the `YYYY-MM-DD` prefix names a real day: `Date.parse` rolls 2027-02-30 over to 2 March. */
export function isCalendarDate(text: string): boolean {
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const days = month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

/**
 * An instant: a `Date`, or an ISO 8601 string that is a date (`2027-01-31`, UTC midnight) or a
 * date-time with an explicit offset or `Z`. Local date-times without an offset are refused: they
 * would depend on the machine's zone. Instants outside 1970 to 9999 are refused.
 *
 * @example
 * ```ts
 * instantSchema.parse('2027-01-31').toISOString(); // '2027-01-31T00:00:00.000Z'
 * instantSchema.parse('2027-01-31T09:00:00+01:00').toISOString(); // '2027-01-31T08:00:00.000Z'
 * instantSchema.safeParse('2027-01-31T09:00:00').success; // false: no offset (invalid_instant)
 * ```
 */
// As decimalSchema: z.custom only types the input; every value still reaches the checks below.
export const instantSchema = z.pipe(z.custom<InstantInput>(), transformWith<InstantInput, Date>((input: unknown, ctx): Date => {
  let ms: number;
  if (input instanceof Date) ms = input.getTime();
  else if (typeof input === 'string' && ISO_INSTANT_RE.test(input) && isCalendarDate(input)) ms = Date.parse(input);
  else {
    ctx.addIssue({
      code: 'custom',
      message: 'expected an ISO 8601 instant with an offset (e.g. "2027-01-31T09:00:00Z") or a Date',
      params: { code: 'invalid_instant' },
    });
    return z.NEVER;
  }
  if (Number.isNaN(ms)) {
    // "2027-01-01T25:00Z", "+25:00" offsets, or an invalid Date object.
    ctx.addIssue({ code: 'custom', message: 'expected a valid ISO 8601 instant (hours 0-23, minutes 0-59, offsets within ±24 h)', params: { code: 'invalid_instant' } });
    return z.NEVER;
  }
  if (ms < MIN_INSTANT || ms > MAX_INSTANT) {
    ctx.addIssue({ code: 'custom', message: 'instant is out of range (1970 to 9999)', params: { code: 'instant_out_of_range' } });
    return z.NEVER;
  }
  return new Date(ms);
}));

/**
 * A non-empty identifier of at most 200 characters, without control characters (customer,
 * event, order, line and request ids).
 *
 * @example
 * ```ts
 * idSchema.parse('order-1001'); // 'order-1001'
 * idSchema.safeParse('').success; // false
 * ```
 */
export const idSchema = z.string().check(
  z.minLength(1, 'must not be empty'),
  z.maxLength(200, 'must be at most 200 characters'),
  // Control characters are refused: they are never part of a real id, and stores may use them as separators.
  z.refine((id) => !/[\u0000-\u001f\u007f]/.test(id), { message: 'must not contain control characters', params: { code: 'invalid_id' } }),
);

/**
 * A stable slug for rule, program, reward and segment ids: 1-100 of letters, digits, `_`, `-`,
 * `.`, `:`, starting with a letter or digit.
 *
 * @example
 * ```ts
 * slugSchema.parse('weekend-bonus'); // 'weekend-bonus'
 * slugSchema.safeParse('weekend bonus').success; // false
 * ```
 */
export const slugSchema = z.string().check(
  z.regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, 'must be 1-100 characters of letters, digits, "_", "-", "." or ":"'),
);

/**
 * Rounding modes, as in decimal.js: half-up is half away from zero.
 *
 * @example
 * ```ts
 * roundingModeSchema.parse('half-even'); // 'half-even'
 * roundingModeSchema.options; // ['floor', 'ceil', 'half-up', 'half-even', 'down']
 * ```
 */
export const roundingModeSchema = z.enum(['floor', 'ceil', 'half-up', 'half-even', 'down']);

/**
 * Sales channels. One account spans all of them (omnichannel).
 *
 * @example
 * ```ts
 * channelSchema.parse('store'); // 'store'
 * channelSchema.safeParse('kiosk').success; // false
 * ```
 */
export const channelSchema = z.enum(['web', 'app', 'store', 'call_center', 'other']);
/** A sales channel. */
export type Channel = z.infer<typeof channelSchema>;

/**
 * A value allowed in customer and event attributes: a string (at most 1000 characters),
 * a boolean, a safe integer, or a list of at most 100 strings.
 *
 * @example
 * ```ts
 * attributeValueSchema.parse(['vegan', 'gluten-free']); // ['vegan', 'gluten-free']
 * attributeValueSchema.safeParse(1.5).success; // false: integers only
 * ```
 */
export const attributeValueSchema = z.union([
  z.string().check(z.maxLength(1000)),
  z.boolean(),
  z.number().check(int(), z.refine((n) => Number.isSafeInteger(n), { message: 'must be a safe integer' })),
  z.array(z.string().check(z.maxLength(200))).check(z.maxLength(100)),
]);
/** A customer or event attribute value. */
export type AttributeValue = z.infer<typeof attributeValueSchema>;

const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Attribute maps as zod sees them: identifier names to attribute values. */
const attributeRecordSchema = z.record(
  z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'attribute names are identifiers (letters, digits, _)')),
  attributeValueSchema,
);
/**
 * The most attributes a customer or an event may carry.
 *
 * @example
 * ```ts
 * attributesSchema.safeParse(Object.fromEntries([...Array(MAX_ATTRIBUTES + 1).keys()].map((i) => [`a${i}`, i]))).success; // false
 * ```
 */
export const MAX_ATTRIBUTES = 100;

/**
 * Customer and event attributes, the host's own data: a map of at most `MAX_ATTRIBUTES` (100)
 * entries from identifier names (letters, digits, `_`; at
 * most 64) to attribute values (flat: no nested objects). `__proto__`, `constructor` and `prototype` are refused
 * (`forbidden_key`), checked on the input's own keys: zod silently drops a `__proto__` key (as
 * `JSON.parse` makes it) from its output, so a check on the output would never see it.
 *
 * @example
 * ```ts
 * attributesSchema.parse({ rfm: 'champion', visits: 12 }); // { rfm: 'champion', visits: 12 }
 * attributesSchema.safeParse(JSON.parse('{"__proto__": 1}')).success; // false (forbidden_key)
 * ```
 */
export const attributesSchema: z.ZodMiniType<z.output<typeof attributeRecordSchema>, z.input<typeof attributeRecordSchema>> = preprocess(
  (input, ctx) => {
    if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
      const size = Object.keys(input).length;
      if (size > MAX_ATTRIBUTES) {
        ctx.addIssue({ code: 'custom', message: `at most ${MAX_ATTRIBUTES} attributes, got ${size}`, params: { code: 'too_many_attributes' } });
      }
      for (const key of FORBIDDEN_KEYS) {
        if (Object.prototype.hasOwnProperty.call(input, key)) {
          ctx.addIssue({ code: 'custom', path: [key], message: `attribute names may not be ${FORBIDDEN_KEYS.join(', ')}`, params: { code: 'forbidden_key' } });
        }
      }
    }
    return input;
  },
  attributeRecordSchema,
) as unknown as typeof attributesSchema;
