import type { Decimal, DecimalInput } from './decimal';
import { refuse } from './internal/refuse';
import { fromSafeUnits, fromUnits, safeUnits, toUnits } from './internal/units';
import { parseDecimal } from './money';
import { splitUnits, splitUnitsBig } from './minor';

/**
 * Options of {@link allocate}.
 *
 * @example
 * ```ts
 * const cents: AllocateOptions = { places: 2 };
 * ```
 */
export interface AllocateOptions {
  /** Decimals of the unit being allocated: 0 for whole points (the default), 2 for cents. */
  readonly places?: number | undefined;
}

/**
 * Splits `total` across `weights` exactly, by largest remainder.
 *
 * Each part first gets its exact share `total × weight / Σweights`, rounded towards zero to a
 * whole unit of `10^-places`; the units left over then go one each to the parts with the largest
 * remainders, ties going to the earlier index. So the parts always sum exactly to `total`, and
 * each part is within one unit of its exact share. A negative total is allocated as its absolute
 * value, then negated. When every weight is zero the total is split equally (as if all weights
 * were 1). Arguments are never mutated.
 *
 * @param total - a multiple of `10^-places`
 * @param weights - at least one, all non-negative
 * @param options - `places` (default 0)
 * @returns one part per weight, in order
 * @throws LoyaltyError `invalid_places` (path `['places']`), `too_many_decimals` (path
 *   `['total']`), `empty_weights` (path `['weights']`), `negative_weight` or `invalid_amount`
 *   (path `['weights', i]`)
 * @example
 * ```ts
 * allocate(new Decimal(10), [new Decimal(1), new Decimal(2)]).map(String); // ['3', '7']
 * allocate(new Decimal(1), [new Decimal(1), new Decimal(1), new Decimal(1)]).map(String); // ['1', '0', '0']
 * allocate(new Decimal(20), [new Decimal(30), new Decimal(30), new Decimal(40)]).map(String); // ['6', '6', '8']
 * allocate(new Decimal('0.05'), [new Decimal(1), new Decimal(1)], { places: 2 }).map(String); // ['0.03', '0.02']
 * ```
 */
export function allocate(total: DecimalInput, weights: readonly DecimalInput[], options?: AllocateOptions | undefined): Decimal[] {
  const places = options?.places ?? 0;
  if (!Number.isSafeInteger(places) || places < 0) {
    refuse('invalid_places', ['places'], `places must be a non-negative integer, got ${String(places)}`);
  }
  const amount = parseDecimal(total, ['total']);
  if (amount.decimalPlaces() > places) {
    refuse('too_many_decimals', ['total'], `${amount.toFixed()} is not a multiple of 10^-${places}`);
  }
  if (weights.length === 0) refuse('empty_weights', ['weights'], 'at least one weight is needed');

  const parsed = weights.map((w, i) => {
    const d = parseDecimal(w, ['weights', i]);
    if (d.isNegative() && !d.isZero()) refuse('negative_weight', ['weights', i], `weight ${d.toFixed()} is negative`);
    return d;
  });
  // Scale weights to integers so every step below is exact integer arithmetic.
  let scale = 0;
  for (const d of parsed) scale = Math.max(scale, d.decimalPlaces());
  return allocateSafe(amount, parsed, places, scale) ?? allocateBig(amount, parsed, places, scale);
}

/**
 * Largest remainder on safe-integer numbers: the common case (amounts and weights of a few
 * dozen digits at most). Every product, quotient and remainder stays below 2^53, so each step
 * is exact; undefined when they might not.
 */
function allocateSafe(amount: Decimal, parsed: readonly Decimal[], places: number, scale: number): Decimal[] | undefined {
  const signed = safeUnits(amount, places);
  if (signed !== signed) return undefined;
  const n = parsed.length;
  const scaled = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const w = safeUnits(parsed[i] as Decimal, scale);
    if (w !== w) return undefined;
    scaled[i] = w;
  }
  const parts = splitUnits(Math.abs(signed), scaled);
  if (!parts) return undefined;
  const negative = amount.isNegative();
  return parts.map((p) => fromSafeUnits(negative ? -p : p, places));
}

/** Largest remainder on bigints: no size limit. */
function allocateBig(amount: Decimal, parsed: readonly Decimal[], places: number, scale: number): Decimal[] {
  const parts = splitUnitsBig(toUnits(amount.abs(), places), parsed.map((d) => toUnits(d, scale)));
  const negative = amount.isNegative();
  return parts.map((p) => fromUnits(negative ? -p : p, places));
}

/**
 * The sum of parts `from` .. `from + count − 1` of {@link allocate}`(total, q equal weights)`,
 * computed in O(1) instead of allocating q parts: with total = a·q + r steps of `10^-places`,
 * largest remainder gives every part a steps and, ties going to the earlier index, the first r
 * parts one step more. The range is clipped to 0 .. quantity − 1. A negative total is split as
 * its absolute value, then negated, as `allocate` does.
 *
 * @param total - a multiple of `10^-places`
 * @param quantity - the number of equal parts (a positive safe integer)
 * @param from - the first part of the range (0-based)
 * @param count - how many parts the range holds
 * @param options - `places` (default 0)
 * @throws LoyaltyError `invalid_places` (path `['places']`), `too_many_decimals` (path
 *   `['total']`), `invalid_quantity` (path `['quantity']`)
 * @example
 * ```ts
 * // 10 over 4 equal parts is 3 / 3 / 2 / 2: parts 1..2 sum to 5.
 * allocateEqualRange(new Decimal(10), 4, 1, 2).toString(); // '5'
 * allocateEqualRange(new Decimal('1.67'), 3, 0, 1, { places: 2 }).toString(); // '0.56'
 * ```
 */
export function allocateEqualRange(total: DecimalInput, quantity: number, from: number, count: number, options?: AllocateOptions | undefined): Decimal {
  const places = options?.places ?? 0;
  if (!Number.isSafeInteger(places) || places < 0) {
    refuse('invalid_places', ['places'], `places must be a non-negative integer, got ${String(places)}`);
  }
  if (!Number.isSafeInteger(quantity) || quantity < 1) refuse('invalid_quantity', ['quantity'], `quantity must be a positive integer, got ${String(quantity)}`);
  const amount = parseDecimal(total, ['total']);
  if (amount.decimalPlaces() > places) {
    refuse('too_many_decimals', ['total'], `${amount.toFixed()} is not a multiple of 10^-${places}`);
  }
  const start = Math.max(0, Math.min(quantity, Math.floor(from)));
  const end = Math.max(start, Math.min(quantity, Math.floor(from + count)));
  const units = toUnits(amount.abs(), places);
  const q = BigInt(quantity);
  const each = units / q;
  const extra = Number(units % q); // < quantity, a safe integer
  // Parts start .. end − 1, and how many of them fall among the first `extra`.
  const sum = each * BigInt(end - start) + BigInt(Math.max(0, Math.min(end, extra) - start));
  return fromUnits(amount.isNegative() ? -sum : sum, places);
}
