import { Decimal } from '../decimal';

// Exact conversions between a decimal and an integer count of 10^-places units, done on the
// digits so that no precision setting can round them. The common case (a count that is a safe
// integer) is done in plain numbers from decimal.js's digit words; the rest on bigints.

// 10^k as doubles: every one of them is exact.
const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);
const WORD = 1e7; // decimal.js stores digits in base-1e7 words
const MAX = Number.MAX_SAFE_INTEGER;

/**
 * `value × 10^places` as a number when that is a safe integer, else NaN (not finite, too many
 * decimals for `places`, or too large). Reads decimal.js's documented internal form: `d` the
 * base-1e7 digit words, the first holding the units digit of 10^(7·⌊e/7⌋), `e` the exponent of
 * the leading digit, `s` the sign.
 */
export function safeUnits(value: Decimal, places: number): number {
  const words = value.d as readonly number[] | null;
  if (words === null || !(places >= 0 && places <= 22)) return Number.NaN;
  let h = 0;
  for (const w of words) {
    // Rounding is monotonic: a true value above MAX never comes out at or below it.
    h = h * WORD + w;
    if (h > MAX) return Number.NaN;
  }
  // value = h × 10^(7·(⌊e/7⌋ − (words − 1)))
  const k = places + 7 * (Math.floor(value.e / 7) - (words.length - 1));
  let n: number;
  if (k >= 0) {
    if (k > 22) return h === 0 ? 0 : Number.NaN;
    n = h * (POW10[k] as number);
    if (n > MAX) return Number.NaN;
  } else {
    if (-k > 22) return h === 0 ? 0 : Number.NaN;
    const p = POW10[-k] as number;
    n = Math.floor(h / p);
    if (n * p !== h) return Number.NaN;
  }
  return value.s < 0 && n !== 0 ? -n : n;
}

/** `value × 10^places` as a bigint; the caller guarantees at most `places` decimals. */
export function toUnits(value: Decimal, places: number): bigint {
  const n = safeUnits(value, places);
  if (n === n) return BigInt(n);
  const digits = value.abs().toFixed(places).replace('.', '');
  const units = BigInt(digits);
  return value.isNegative() ? -units : units;
}

function unitsText(digits: string, places: number): string {
  const padded = digits.padStart(places + 1, '0');
  return places === 0 ? padded : `${padded.slice(0, -places)}.${padded.slice(-places)}`;
}

/** `units × 10^-places` as an exact Decimal (never negative zero). */
export function fromUnits(units: bigint, places: number): Decimal {
  if (units === 0n) return new Decimal(0);
  const negative = units < 0n;
  const text = unitsText((negative ? -units : units).toString(), places);
  return new Decimal(negative ? `-${text}` : text);
}

// Small whole numbers, shared: Decimals are immutable values, and whole points are what most
// allocations produce.
const SMALL_LIMIT = 4096;
const SMALL_WHOLE: Decimal[] = new Array<Decimal>(SMALL_LIMIT);

/** {@link fromUnits} for a safe integer count of units (never negative zero). */
export function fromSafeUnits(units: number, places: number): Decimal {
  if (units === 0) return (SMALL_WHOLE[0] ??= new Decimal(0));
  if (places === 0) return units > 0 && units < SMALL_LIMIT ? (SMALL_WHOLE[units] ??= new Decimal(units)) : new Decimal(units);
  const negative = units < 0;
  const text = unitsText(String(negative ? -units : units), places);
  return new Decimal(negative ? `-${text}` : text);
}
