import type { Decimal, DecimalInput } from './decimal';
import { parseDecimal } from './money';

/**
 * A number of loyalty points: an exact Decimal, like money but without a currency. Balances and
 * entries may carry fractional points when a program allows them; rounding happens where the
 * program says (see `round`).
 *
 * @example
 * ```ts
 * const earned: Points = points(19);
 * earned.plus(points('1.5')).toString(); // '20.5'
 * ```
 */
export type Points = Decimal;

/**
 * Parses a points value; accepts what {@link parseDecimal} accepts.
 *
 * @throws LoyaltyError `invalid_amount` (path `['points']`)
 * @example
 * ```ts
 * points('500').toString(); // '500'
 * points(Number.NaN); // throws LoyaltyError('invalid_amount')
 * ```
 */
export function points(x: DecimalInput): Points {
  return parseDecimal(x, ['points']);
}
