import { LoyaltyError, UnreachableError } from '../errors';
import { Decimal } from './decimal';

/**
 * How a value is rounded to a number of decimals (decimal.js semantics):
 * - `floor`: towards −∞;
 * - `ceil`: towards +∞;
 * - `down`: towards zero (truncation);
 * - `half-up`: to nearest, halves away from zero (decimal.js `ROUND_HALF_UP`);
 * - `half-even`: to nearest, halves to the even neighbour (banker's rounding).
 *
 * @example
 * ```ts
 * const mode: RoundingMode = 'floor';
 * round(new Decimal('-2.5'), 0, mode).toString(); // '-3'
 * ```
 */
export type RoundingMode = 'floor' | 'ceil' | 'half-up' | 'half-even' | 'down';

/**
 * Every rounding mode, for schemas and exhaustive tests.
 *
 * @example
 * ```ts
 * ROUNDING_MODES.includes('half-even'); // true
 * ```
 */
export const ROUNDING_MODES: readonly RoundingMode[] = Object.freeze(['floor', 'ceil', 'half-up', 'half-even', 'down'] as const);

// decimal.js's rounding constants, typed without importing 'decimal.js' here.
type DecimalRounding = (typeof Decimal)['rounding'];

function decimalRounding(mode: RoundingMode): DecimalRounding {
  switch (mode) {
    case 'floor':
      return Decimal.ROUND_FLOOR;
    case 'ceil':
      return Decimal.ROUND_CEIL;
    case 'half-up':
      return Decimal.ROUND_HALF_UP;
    case 'half-even':
      return Decimal.ROUND_HALF_EVEN;
    case 'down':
      return Decimal.ROUND_DOWN;
    default: {
      void (mode satisfies never);
      throw new UnreachableError(mode);
    }
  }
}

/**
 * True when `value` is one of {@link ROUNDING_MODES}.
 *
 * @example
 * ```ts
 * isRoundingMode('half-up'); // true
 * isRoundingMode('up'); // false
 * ```
 */
export function isRoundingMode(value: unknown): value is RoundingMode {
  return typeof value === 'string' && (ROUNDING_MODES as readonly string[]).includes(value);
}

/**
 * Rounds `value` to `places` decimals with `mode`. Never mutates its argument.
 *
 * @param value - a finite decimal
 * @param places - a non-negative safe integer: 0 rounds to units, 2 to cents
 * @param mode - the rounding mode
 * @returns a new Decimal with at most `places` decimals
 * @throws LoyaltyError `invalid_places` for a negative or fractional `places`,
 *   `invalid_rounding_mode` for an unknown mode, `invalid_amount` for NaN or ±Infinity
 * @example
 * ```ts
 * round(new Decimal('2.5'), 0, 'half-even').toString(); // '2'
 * round(new Decimal('1.005'), 2, 'half-up').toString(); // '1.01'
 * round(new Decimal('99.95'), 0, 'down').toString(); // '99'
 * ```
 */
export function round(value: Decimal, places: number, mode: RoundingMode): Decimal {
  if (!Number.isSafeInteger(places) || places < 0) {
    throw new LoyaltyError([
      { code: 'invalid_places', path: ['places'], message: `places must be a non-negative integer, got ${String(places)}` },
    ]);
  }
  if (!isRoundingMode(mode)) {
    throw new LoyaltyError([
      {
        code: 'invalid_rounding_mode',
        path: ['rounding'],
        message: `rounding must be one of ${ROUNDING_MODES.join(', ')}, got ${JSON.stringify(mode)}`,
      },
    ]);
  }
  if (!value.isFinite()) {
    throw new LoyaltyError([{ code: 'invalid_amount', path: [], message: `cannot round ${value.toString()}` }]);
  }
  // Re-wrap so a Decimal from another decimal.js clone comes back as one of ours.
  const own = value.constructor === Decimal ? value : new Decimal(value);
  return own.toDecimalPlaces(places, decimalRounding(mode));
}
