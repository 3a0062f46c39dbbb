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
  const count = words.length;
  let h = 0;
  for (let i = 0; i < count; i++) {
    // Rounding is monotonic: a true value above MAX never comes out at or below it.
    h = h * WORD + (words[i] as number);
    if (h > MAX) return Number.NaN;
  }
  // value = h × 10^(7·(⌊e/7⌋ − (words − 1)))
  const k = places + 7 * (Math.floor(value.e / 7) - (count - 1));
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
  if (places === 0 && units > 0 && units < SMALL_LIMIT) return (SMALL_WHOLE[units] ??= new Decimal(units));
  const negative = units < 0;
  const magnitude = negative ? -units : units;
  const built = fromWords(magnitude, places, negative);
  if (built) return built;
  const text = unitsText(String(magnitude), places);
  return new Decimal(negative ? `-${text}` : text);
}

/** The fields of decimal.js's documented internal form (see {@link safeUnits}). */
interface DecimalFields {
  s: number;
  e: number;
  d: number[];
}

/** The number of decimal digits of a word, 1 ≤ word < 10^7. */
function digitsOfWord(word: number): number {
  return word < 1e3 ? (word < 10 ? 1 : word < 100 ? 2 : 3) : word < 1e5 ? (word < 1e4 ? 4 : 5) : word < 1e6 ? 6 : 7;
}

/**
 * `magnitude × 10^-places` (magnitude > 0) built from its base-1e7 words, without parsing a string
 * (a parse costs several times an addition): scaled by 10^r so the scale is a whole number of
 * words, split into at most three words (a safe integer is below 10^16), trailing zero words
 * dropped, as decimal.js keeps them. Each word count is written out: no array grown and reversed.
 * Undefined when the scaled count is not a safe integer.
 */
function fromWords(magnitude: number, places: number, negative: boolean): Decimal | undefined {
  if (!(places >= 0 && places <= 22)) return undefined;
  const pad = (7 - (places % 7)) % 7;
  const scaled = magnitude * (POW10[pad] as number);
  if (scaled > MAX) return undefined;
  const low = scaled % WORD;
  const rest = (scaled - low) / WORD;
  const mid = rest % WORD;
  const high = (rest - mid) / WORD;
  let words: number[];
  // Digits of the scaled count: the leading word's, and 7 per word after it.
  let digits: number;
  if (high !== 0) {
    words = low !== 0 ? [high, mid, low] : mid !== 0 ? [high, mid] : [high];
    digits = digitsOfWord(high) + 14;
  } else if (mid !== 0) {
    words = low !== 0 ? [mid, low] : [mid];
    digits = digitsOfWord(mid) + 7;
  } else {
    words = [low];
    digits = digitsOfWord(low);
  }
  // Built from 0, the constructor's cheapest number path (no check of the argument's tag); every
  // field is set below.
  const value = new Decimal(0);
  const fields = value as unknown as DecimalFields;
  fields.d = words;
  fields.e = digits - pad - 1 - places;
  fields.s = negative ? -1 : 1;
  return value;
}
