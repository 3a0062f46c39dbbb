import { Decimal as DecimalJs } from 'decimal.js';

/**
 * The library's own decimal.js constructor: a clone with a fixed precision, so the host's global
 * `Decimal` configuration can never change our arithmetic. Every amount and every points value
 * in the library is an instance of it.
 *
 * @example
 * ```ts
 * import { Decimal } from 'loyalty-engine';
 * new Decimal('19.99').times('1.5').toString(); // '29.985'
 * ```
 */
export const Decimal = DecimalJs.clone({ precision: 50, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -30, toExpPos: 40 });
/** An exact decimal value (decimal.js). */
export type Decimal = DecimalJs;
/** Anything the library accepts as a decimal: a decimal string, a safe integer, or a Decimal. */
export type DecimalInput = string | number | DecimalJs;

/**
 * True when `value` is a decimal.js instance (from any clone, not only the library's).
 *
 * @example
 * ```ts
 * isDecimal(new Decimal('1.5')); // true
 * isDecimal('1.5'); // false
 * ```
 */
export function isDecimal(value: unknown): value is DecimalJs {
  return DecimalJs.isDecimal(value);
}

/**
 * Zero, one and a hundred as library Decimals: shared constants (a Decimal is immutable), so the
 * hot paths do not build them again and no module declares its own.
 *
 * @example
 * ```ts
 * ZERO.plus('2.50').toString(); // '2.5'
 * Decimal.max(ZERO, new Decimal('-1')).isZero(); // true: a floor at zero
 * new Decimal('15').div(HUNDRED).times(ONE).toString(); // '0.15'
 * ```
 */
export const ZERO: Decimal = new Decimal(0);
/** One as a library Decimal (see {@link ZERO}). */
export const ONE: Decimal = new Decimal(1);
/** A hundred as a library Decimal, for percents (see {@link ZERO}). */
export const HUNDRED: Decimal = new Decimal(100);
