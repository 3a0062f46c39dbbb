// Integer steps of a decimal unit, for the engine's hot paths: an amount as a count of the
// currency's minor units, a points value or a factor as a count of its own last decimal. Plain
// numbers while every value stays a safe integer (the callers check), bigints beyond; never
// floats. Rounding and largest-remainder splitting are done on those counts, exactly, with the
// same modes and tie rules as `round` and `allocate`. Internal: not exported from the package.
import type { Decimal } from './decimal';
import type { RoundingMode } from './rounding';
import { fromSafeUnits, fromUnits, safeUnits, toUnits } from './internal/units';

/** The largest integer a double holds exactly. */
export const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** 10^k as doubles (exact up to 10^22) and as bigints. */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);
const POW10_BIG: bigint[] = [];

/** 10^k as a bigint. */
export function pow10Big(k: number): bigint {
  return (POW10_BIG[k] ??= 10n ** BigInt(k));
}

/**
 * A decimal as an integer count of steps of 10^-scale, its scale being its own decimal places:
 * `2.5` is 25 steps of 0.1. `units` is NaN when the count is not a safe integer; `big` is always exact.
 *
 * @example
 * ```ts
 * const s = scaledOf(new Decimal('2.5')); // { units: 25, big: 25n, scale: 1, value }
 * ```
 */
export interface Scaled {
  readonly value: Decimal;
  readonly units: number;
  readonly big: bigint;
  readonly scale: number;
}

/** `value` as a {@link Scaled} count of its own last decimal. */
export function scaledOf(value: Decimal): Scaled {
  const scale = value.decimalPlaces();
  return { value, units: safeUnits(value, scale), big: toUnits(value, scale), scale };
}

/** `value × 10^places` when it is a safe integer, else NaN (too large, or more decimals than `places`). */
export function unitsOf(value: Decimal, places: number): number {
  return safeUnits(value, places);
}

/** `value × 10^places` as a bigint, or undefined when `value` has more than `places` decimals. */
export function bigUnitsOf(value: Decimal, places: number): bigint | undefined {
  return value.decimalPlaces() > places ? undefined : toUnits(value, places);
}

/** A count of 10^-places steps as a Decimal (small whole counts are shared instances). */
export function decimalOfUnits(units: number | bigint, places: number): Decimal {
  return typeof units === 'number' ? fromSafeUnits(units, places) : fromUnits(units, places);
}

/**
 * `n / d` rounded to an integer with `mode`, for safe integers `n ≥ 0`, `d > 0` with `n + d`
 * safe (so `q·d` below is exact); NaN when they are not.
 *
 * @example
 * ```ts
 * roundDiv(5, 2, 'half-even'); // 2
 * roundDiv(7, 2, 'half-up'); // 4
 * ```
 */
export function roundDiv(n: number, d: number, mode: RoundingMode): number {
  if (!(n >= 0 && d > 0 && n + d <= MAX_SAFE)) return Number.NaN;
  let q = Math.floor(n / d);
  let r = n - q * d;
  // The float quotient may be one off near an integer; the remainder tells.
  if (r < 0) {
    q -= 1;
    r += d;
  } else if (r >= d) {
    q += 1;
    r -= d;
  }
  return r === 0 ? q : q + roundUp(mode, 2 * r - d, q % 2 === 1);
}

/** {@link roundDiv} on bigints (`n ≥ 0`, `d > 0`), no size limit. */
export function roundDivBig(n: bigint, d: bigint, mode: RoundingMode): bigint {
  const q = n / d;
  const r = n - q * d;
  if (r === 0n) return q;
  const twice = 2n * r - d;
  return q + BigInt(roundUp(mode, twice === 0n ? 0 : twice > 0n ? 1 : -1, q % 2n === 1n));
}

/** 1 when a positive quotient with a non-zero remainder rounds up; `half` is the sign of 2r − d. */
function roundUp(mode: RoundingMode, half: number, odd: boolean): number {
  switch (mode) {
    case 'floor':
    case 'down':
      return 0;
    case 'ceil':
      return 1;
    case 'half-up':
      return half >= 0 ? 1 : 0;
    case 'half-even':
      return half > 0 || (half === 0 && odd) ? 1 : 0;
  }
}

/**
 * Splits `total` (a safe integer ≥ 0) over integer `weights` by largest remainder, exactly as
 * `allocate` does: each part its exact share rounded down, the leftover one each to the largest
 * remainders, ties to the earlier index; all-zero weights split equally. Undefined when a
 * product might not be a safe integer (use {@link splitUnitsBig}).
 *
 * @example
 * ```ts
 * splitUnits(5, [7, 8, 10]); // [1, 2, 2]
 * ```
 */
export function splitUnits(total: number, weights: readonly number[]): number[] | undefined {
  const parts = new Array<number>(weights.length);
  return splitUnitsInto(total, weights, parts) ? parts : undefined;
}

/**
 * {@link splitUnits} written into `parts` (its first `weights.length` slots; a list the caller
 * reuses from one split to the next); false, with `parts` unspecified, when a product might not
 * be a safe integer.
 *
 * @example
 * ```ts
 * const parts: number[] = [];
 * splitUnitsInto(5, [7, 8, 10], parts); // true, parts [1, 2, 2]
 * ```
 */
export function splitUnitsInto(total: number, weights: readonly number[], parts: number[]): boolean {
  const n = weights.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += weights[i] as number;
  if (sum > MAX_SAFE) return false;
  const equal = sum === 0;
  if (equal) sum = n;
  let leftover = total;
  for (let i = 0; i < n; i++) {
    const product = total * (equal ? 1 : (weights[i] as number));
    // q·sum below stays exact while product + sum is a safe integer.
    if (product > MAX_SAFE - sum) return false;
    let q = Math.floor(product / sum);
    const r = product - q * sum;
    if (r < 0) q -= 1;
    else if (r >= sum) q += 1;
    parts[i] = q;
    leftover -= q;
  }
  // Fewer than n units are left: one each to the largest remainders, ties to the earlier index.
  // A remainder is worked out again from its part (no array of them): once a part got its extra
  // unit, its remainder comes out negative, so it is not picked twice.
  for (; leftover > 0; leftover--) {
    let best = -1;
    let bestRemainder = -1;
    for (let i = 0; i < n; i++) {
      const r = total * (equal ? 1 : (weights[i] as number)) - (parts[i] as number) * sum;
      if (r > bestRemainder) {
        best = i;
        bestRemainder = r;
      }
    }
    parts[best] = (parts[best] as number) + 1;
  }
  return true;
}

/** {@link splitUnits} on bigints: no size limit. */
export function splitUnitsBig(total: bigint, weights: readonly bigint[]): bigint[] {
  let sum = weights.reduce((a, b) => a + b, 0n);
  const scaled = sum === 0n ? weights.map(() => 1n) : weights;
  if (sum === 0n) sum = BigInt(weights.length);
  const parts = scaled.map((w) => (total * w) / sum);
  const remainders = scaled.map((w, index) => ({ index, remainder: (total * w) % sum }));
  let leftover = total - parts.reduce((a, b) => a + b, 0n);
  // Largest remainder first; equal remainders keep index order (Array.prototype.sort is stable).
  remainders.sort((a, b) => (a.remainder === b.remainder ? 0 : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (leftover === 0n) break;
    parts[index] = (parts[index] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return parts;
}

/**
 * The sum of whole-or-`places`-decimal values, on numbers while they are safe integer counts
 * (the usual case: whole points), on Decimals otherwise. Exact either way.
 *
 * @example
 * ```ts
 * sumOf([new Decimal(2), new Decimal(3)], 0).toString(); // '5'
 * ```
 */
export function sumOf(values: readonly Decimal[], places: number): Decimal {
  let total = 0;
  for (const v of values) {
    const u = safeUnits(v, places);
    total += u;
    if (!(total <= MAX_SAFE && total >= -MAX_SAFE)) return values.reduce((s, x) => s.plus(x), decimalOfUnits(0, places));
  }
  return decimalOfUnits(total, places);
}

/**
 * `value > 0`, without building a Decimal for the 0 as `value.gt(0)` does.
 *
 * @example
 * ```ts
 * isPositive(new Decimal('0.01')); // true
 * isPositive(new Decimal(0)); // false
 * ```
 */
export function isPositive(value: Decimal): boolean {
  return value.s > 0 && !value.isZero();
}

/** The fields of decimal.js's documented internal form that a comparison reads. */
interface DecimalParts {
  readonly s: number;
  readonly e: number;
  readonly d: readonly number[] | null;
}

/**
 * `x.cmp(y)` for two library Decimals, without the copy of `y` that decimal.js's `cmp` builds on
 * every call: the same steps on the same fields (sign, exponent, base-1e7 digit words), so the
 * same answer, NaN included. `y` must be a Decimal within the default exponent range (the
 * compiled rules' constants are).
 *
 * @example
 * ```ts
 * compareDecimals(new Decimal('19.99'), new Decimal(20)); // -1
 * ```
 */
export function compareDecimals(x: Decimal, y: Decimal): number {
  const a = x as unknown as DecimalParts;
  const b = y as unknown as DecimalParts;
  const xd = a.d;
  const yd = b.d;
  const xs = a.s;
  const ys = b.s;
  // NaN or ±Infinity.
  if (!xd || !yd) return !xs || !ys ? Number.NaN : xs !== ys ? xs : xd === yd ? 0 : (!xd !== xs < 0) ? 1 : -1;
  // Either zero.
  if (!xd[0] || !yd[0]) return xd[0] ? xs : yd[0] ? -ys : 0;
  if (xs !== ys) return xs;
  if (a.e !== b.e) return (a.e > b.e) !== xs < 0 ? 1 : -1;
  const xl = xd.length;
  const yl = yd.length;
  const j = xl < yl ? xl : yl;
  for (let i = 0; i < j; i++) {
    const p = xd[i] as number;
    const q = yd[i] as number;
    if (p !== q) return (p > q) !== xs < 0 ? 1 : -1;
  }
  return xl === yl ? 0 : (xl > yl) !== xs < 0 ? 1 : -1;
}
