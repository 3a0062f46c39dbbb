import { Decimal } from '../decimal';

// Exact conversions between a decimal and an integer count of 10^-places units, done on the
// digit strings so that no precision setting can round them.

/** `value × 10^places` as a bigint; the caller guarantees at most `places` decimals. */
export function toUnits(value: Decimal, places: number): bigint {
  const digits = value.abs().toFixed(places).replace('.', '');
  const units = BigInt(digits);
  return value.isNegative() ? -units : units;
}

/** `units × 10^-places` as an exact Decimal (never negative zero). */
export function fromUnits(units: bigint, places: number): Decimal {
  if (units === 0n) return new Decimal(0);
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(places + 1, '0');
  const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return new Decimal(negative ? `-${text}` : text);
}
