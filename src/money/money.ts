import { LoyaltyError } from '../errors';
import type { Issue } from '../errors';
import { currency, isCurrencyCode } from './currencies';
import type { CurrencyCode } from './currencies';
import { Decimal, isDecimal } from './decimal';
import type { DecimalInput } from './decimal';
import { refuse } from './internal/refuse';
import { fromUnits, toUnits } from './internal/units';
import { round } from './rounding';
import type { RoundingMode } from './rounding';

/**
 * An exact amount of money in one currency: a plain, frozen object. Its amount never carries
 * more decimals than the currency's minor units, and is never negative zero.
 *
 * @example
 * ```ts
 * const price: Money = money('80.00', 'USD');
 * price.amount.toString(); // '80'
 * price.currency; // 'USD'
 * ```
 */
export interface Money {
  /** The amount, exact. */
  readonly amount: Decimal;
  /** The active ISO 4217 currency of the amount. */
  readonly currency: CurrencyCode;
}

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

function describeInput(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(input);
  if (typeof input === 'number' || typeof input === 'bigint' || typeof input === 'boolean') return String(input);
  if (isDecimal(input)) return `Decimal(${input.toString()})`;
  return input === null ? 'null' : typeof input;
}

function invalidAmount(input: unknown, path: readonly (string | number)[], why: string): never {
  refuse('invalid_amount', path, `${describeInput(input)} is not a valid amount: ${why}`);
}

// decimal.js keeps a sign on zero; one zero keeps equality, hashing and formatting simple.
function withoutNegativeZero(value: Decimal): Decimal {
  return value.isZero() ? new Decimal(0) : value;
}

/**
 * Parses an exact decimal from untrusted input.
 *
 * Accepted:
 * - a plain decimal string matching `/^-?\d+(\.\d+)?$/` (`"80"`, `"80.00"`, `"-1.5"`; no `"+1"`,
 *   `".5"`, `"1e3"`, no spaces);
 * - a JS number that is a safe integer, or a finite non-integer whose shortest decimal form
 *   `String(n)` is plain (`1.5` is read as `"1.5"`, `0.1` as `"0.1"`); integers beyond
 *   `Number.MAX_SAFE_INTEGER` (already imprecise) and numbers printed with an exponent
 *   (`1e-7`, `1e21`) are refused;
 * - a finite decimal.js instance (from any clone).
 *
 * @param input - the value to parse
 * @param path - where the value sits in the caller's input, for the issue
 * @returns a Decimal of the library's clone, never negative zero
 * @throws LoyaltyError `invalid_amount` (with `path`) for anything else: NaN, ±Infinity, other types
 * @example
 * ```ts
 * parseDecimal('80.00').equals(parseDecimal('80')); // true
 * parseDecimal('1e3', ['order', 'total']); // throws LoyaltyError('invalid_amount') at order.total
 * ```
 */
export function parseDecimal(input: unknown, path: readonly (string | number)[] = []): Decimal {
  if (typeof input === 'string') {
    if (!PLAIN_DECIMAL.test(input)) invalidAmount(input, path, 'expected a plain decimal string such as "80.00"');
    return withoutNegativeZero(new Decimal(input));
  }
  if (typeof input === 'number') {
    if (Number.isSafeInteger(input)) return withoutNegativeZero(new Decimal(input));
    if (!Number.isFinite(input)) invalidAmount(input, path, 'not a finite number');
    if (Number.isInteger(input)) invalidAmount(input, path, 'integer beyond Number.MAX_SAFE_INTEGER; pass it as a string');
    const text = String(input);
    if (!PLAIN_DECIMAL.test(text)) invalidAmount(input, path, 'number in exponent form; pass it as a decimal string');
    return withoutNegativeZero(new Decimal(text));
  }
  if (isDecimal(input)) {
    if (!input.isFinite()) invalidAmount(input, path, 'not finite');
    // Decimals are immutable: one of our own clone is returned as it is (a copy would be equal).
    if (input.constructor === Decimal && !(input.isNegative() && input.isZero())) return input;
    return withoutNegativeZero(new Decimal(input));
  }
  return invalidAmount(input, path, 'expected a decimal string, a number or a Decimal');
}

/**
 * Builds a Money from an amount and a currency code, validating both.
 *
 * @param amount - see {@link parseDecimal} for what is accepted
 * @param currencyCode - an active ISO 4217 code
 * @returns a frozen Money
 * @throws LoyaltyError with every issue found: `invalid_amount` (path `['amount']`),
 *   `too_many_decimals` (path `['amount']`) when the amount has more decimals than the
 *   currency's minor units (trailing zeros do not count: `"100.00"` is fine in JPY),
 *   `unknown_currency` (path `['currency']`)
 * @example
 * ```ts
 * formatMoney(money('4', 'USD')); // '4.00'
 * money('1.005', 'USD'); // throws LoyaltyError('too_many_decimals')
 * money('1', 'DEM'); // throws LoyaltyError('unknown_currency')
 * ```
 */
export function money(amount: DecimalInput, currencyCode: string): Money {
  const issues: Issue[] = [];
  let value: Decimal | undefined;
  let code: CurrencyCode | undefined;
  try {
    value = parseDecimal(amount, ['amount']);
  } catch (e) {
    if (!(e instanceof LoyaltyError)) throw e;
    issues.push(...e.issues);
  }
  try {
    code = currency(currencyCode).code;
  } catch (e) {
    if (!(e instanceof LoyaltyError)) throw e;
    issues.push(...e.issues);
  }
  if (value !== undefined && code !== undefined) {
    const places = currency(code).minorUnits;
    if (value.decimalPlaces() > places) {
      issues.push({
        code: 'too_many_decimals',
        path: ['amount'],
        message: `${value.toFixed()} has more than ${places} decimal${places === 1 ? '' : 's'}, the minor units of ${code}`,
      });
    }
  }
  const [first, ...rest] = issues;
  if (first !== undefined) throw new LoyaltyError([first, ...rest]);
  // Both are defined when no issue was recorded.
  return Object.freeze({ amount: value as Decimal, currency: code as CurrencyCode });
}

function checkMoney(m: Money, path: readonly (string | number)[]): number {
  if (!isCurrencyCode(m.currency)) {
    refuse('unknown_currency', [...path, 'currency'], `${JSON.stringify(m.currency)} is not an active ISO 4217 currency code`);
  }
  if (!isDecimal(m.amount) || !m.amount.isFinite()) refuse('invalid_amount', [...path, 'amount'], 'amount is not a finite Decimal');
  return currency(m.currency).minorUnits;
}

function sameCurrency(a: Money, b: Money): CurrencyCode {
  checkMoney(a, [0]);
  checkMoney(b, [1]);
  if (a.currency !== b.currency) {
    refuse('currency_mismatch', ['currency'], `cannot combine ${a.currency} with ${b.currency}`);
  }
  return a.currency;
}

function make(amount: Decimal, code: CurrencyCode): Money {
  const own = amount.constructor === Decimal && !(amount.isNegative() && amount.isZero()) ? amount : withoutNegativeZero(new Decimal(amount));
  return Object.freeze({ amount: own, currency: code });
}

/**
 * Rounds an exact amount to a currency's minor units.
 *
 * @param amount - any finite decimal
 * @param currencyCode - an active ISO 4217 code
 * @param mode - the rounding mode
 * @throws LoyaltyError `unknown_currency`, `invalid_amount`
 * @example
 * ```ts
 * roundMoney(new Decimal('29.985'), 'USD', 'half-even').amount.toString(); // '29.98'
 * roundMoney(new Decimal('29.985'), 'JPY', 'floor').amount.toString(); // '29'
 * ```
 */
export function roundMoney(amount: Decimal, currencyCode: string, mode: RoundingMode): Money {
  const info = currency(currencyCode);
  return make(round(parseDecimal(amount, ['amount']), info.minorUnits, mode), info.code);
}

/**
 * Formats a Money's amount with exactly its currency's minor units, for JSON and SQL `numeric`.
 * No currency symbol, no grouping.
 *
 * @example
 * ```ts
 * formatMoney(money('4', 'USD')); // '4.00'
 * formatMoney(money('100', 'JPY')); // '100'
 * formatMoney(money('1.25', 'KWD')); // '1.250'
 * ```
 */
export function formatMoney(m: Money): string {
  const places = checkMoney(m, []);
  if (m.amount.decimalPlaces() > places) {
    refuse('too_many_decimals', ['amount'], `${m.amount.toFixed()} has more decimals than ${m.currency} allows`);
  }
  return withoutNegativeZero(m.amount).toFixed(places);
}

/**
 * The amount as an integer count of minor units (cents for USD, yen for JPY).
 *
 * @example
 * ```ts
 * toMinorUnits(money('19.99', 'USD')); // 1999n
 * toMinorUnits(money('-1.5', 'KWD')); // -1500n
 * ```
 */
export function toMinorUnits(m: Money): bigint {
  const places = checkMoney(m, []);
  if (m.amount.decimalPlaces() > places) {
    refuse('too_many_decimals', ['amount'], `${m.amount.toFixed()} has more decimals than ${m.currency} allows`);
  }
  return toUnits(m.amount, places);
}

/**
 * Builds a Money from an integer count of minor units.
 *
 * @param minor - a bigint, or a number that is a safe integer
 * @param currencyCode - an active ISO 4217 code
 * @throws LoyaltyError `invalid_amount` (path `['amount']`) for a non-integer or unsafe number,
 *   `unknown_currency`
 * @example
 * ```ts
 * formatMoney(fromMinorUnits(1999n, 'USD')); // '19.99'
 * formatMoney(fromMinorUnits(5, 'JPY')); // '5'
 * ```
 */
export function fromMinorUnits(minor: bigint | number, currencyCode: string): Money {
  const info = currency(currencyCode);
  if (typeof minor === 'number' && !Number.isSafeInteger(minor)) {
    refuse('invalid_amount', ['amount'], `${String(minor)} is not a safe integer count of minor units`);
  }
  if (typeof minor !== 'number' && typeof minor !== 'bigint') {
    refuse('invalid_amount', ['amount'], 'expected a bigint or a safe integer count of minor units');
  }
  return make(fromUnits(BigInt(minor), info.minorUnits), info.code);
}

/**
 * Adds two amounts of the same currency, exactly.
 *
 * @throws LoyaltyError `currency_mismatch` when the currencies differ
 * @example
 * ```ts
 * formatMoney(addMoney(money('0.10', 'USD'), money('0.20', 'USD'))); // '0.30'
 * ```
 */
export function addMoney(a: Money, b: Money): Money {
  return make(a.amount.plus(b.amount), sameCurrency(a, b));
}

/**
 * Subtracts `b` from `a`, exactly; the result may be negative.
 *
 * @throws LoyaltyError `currency_mismatch` when the currencies differ
 * @example
 * ```ts
 * formatMoney(subtractMoney(money('5', 'USD'), money('7.5', 'USD'))); // '-2.50'
 * ```
 */
export function subtractMoney(a: Money, b: Money): Money {
  return make(a.amount.minus(b.amount), sameCurrency(a, b));
}

/**
 * Multiplies an amount by a factor and rounds the exact product to the currency with `mode`.
 *
 * @param factor - see {@link parseDecimal}
 * @throws LoyaltyError `invalid_amount` (path `['factor']`)
 * @example
 * ```ts
 * formatMoney(multiplyMoney(money('80', 'USD'), '0.05', 'floor')); // '4.00'
 * formatMoney(multiplyMoney(money('19.99', 'USD'), '1.5', 'half-even')); // '29.98'
 * ```
 */
export function multiplyMoney(m: Money, factor: DecimalInput, mode: RoundingMode): Money {
  const places = checkMoney(m, []);
  const f = parseDecimal(factor, ['factor']);
  return make(round(m.amount.times(f), places, mode), m.currency);
}

/**
 * Compares two amounts of the same currency.
 *
 * @returns -1 when `a < b`, 0 when equal, 1 when `a > b`
 * @throws LoyaltyError `currency_mismatch` when the currencies differ
 * @example
 * ```ts
 * compareMoney(money('80', 'USD'), money('80.00', 'USD')); // 0
 * compareMoney(money('1', 'USD'), money('2', 'USD')); // -1
 * ```
 */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  const c = a.amount.comparedTo(b.amount);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/**
 * True when the amount is zero.
 *
 * @example
 * ```ts
 * isZero(money('0.00', 'USD')); // true
 * ```
 */
export function isZero(m: Money): boolean {
  return m.amount.isZero();
}

/**
 * Sums a list of amounts, all in `currencyCode`; the empty list sums to zero.
 *
 * @throws LoyaltyError `currency_mismatch` (path `[index, 'currency']`) for an amount in another
 *   currency, `unknown_currency`
 * @example
 * ```ts
 * formatMoney(sumMoney([money('30', 'USD'), money('30', 'USD'), money('40', 'USD')], 'USD')); // '100.00'
 * formatMoney(sumMoney([], 'EUR')); // '0.00'
 * ```
 */
export function sumMoney(list: readonly Money[], currencyCode: string): Money {
  const code = currency(currencyCode).code;
  let total = new Decimal(0);
  list.forEach((m, i) => {
    checkMoney(m, [i]);
    if (m.currency !== code) refuse('currency_mismatch', [i, 'currency'], `cannot add ${m.currency} to a ${code} sum`);
    total = total.plus(m.amount);
  });
  return make(total, code);
}

/**
 * A canonical string for a decimal: normal notation, no trailing zeros, no exponent, no sign
 * on zero. Equal values give equal strings, so it is what idempotency hashing uses.
 *
 * @throws LoyaltyError `invalid_amount` for NaN or ±Infinity
 * @example
 * ```ts
 * canonicalDecimal(new Decimal('80.00')); // '80'
 * canonicalDecimal(new Decimal('-0')); // '0'
 * canonicalDecimal(new Decimal('1e-7')); // '0.0000001'
 * ```
 */
export function canonicalDecimal(d: Decimal): string {
  return parseDecimal(d).toFixed();
}
