import { Decimal, isDecimal } from '../money/decimal';
import { isPlainObject } from '../schema/condition';

/*
 * How json-rules-engine 7.3.1's operators see a value, with one deliberate difference: exact
 * decimals.
 *
 * The reference semantics is json-rules-engine evaluating the same condition on the facts the
 * adapter gives it (`toAlmanacFacts`: every Decimal becomes the JS number of its decimal string,
 * every Date its epoch milliseconds). So here a Decimal or a Date behaves as that number would,
 * except that comparisons involving a Decimal are exact (`0.1 + 0.2` equals `0.3`). Both agree
 * on every value a double represents faithfully, which includes every amount with at most its
 * currency's decimals.
 */

const DECIMAL_LITERAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** True for the values json-rules-engine sees as numbers but we hold as objects. */
export function isNumberObject(x: unknown): x is Decimal | Date {
  return typeof x === 'object' && x !== null && (isDecimal(x) || x instanceof Date);
}

/** A number, Decimal or Date as an exact decimal; undefined for NaN and for anything else. */
export function exactNumber(x: unknown): Decimal | undefined {
  if (typeof x === 'number') return Number.isNaN(x) ? undefined : new Decimal(String(x));
  if (typeof x !== 'object' || x === null) return undefined;
  if (isDecimal(x)) return x.isNaN() ? undefined : x;
  if (x instanceof Date) {
    const t = x.getTime();
    return Number.isNaN(t) ? undefined : new Decimal(t);
  }
  return undefined;
}

/**
 * The text JS makes of a number, for a Decimal: plain from 1e-6 up to below 1e21, exponent form
 * (`1e+21`, `1.5e-7`) outside, `-0` as `0` — the same text as `String(Number(x))` whenever the
 * Decimal is a double (the library's Decimal switches to exponents at other thresholds).
 */
function decimalText(x: Decimal): string {
  if (x.isZero()) return '0';
  if (!x.isFinite()) return x.isNaN() ? 'NaN' : x.isNegative() ? '-Infinity' : 'Infinity';
  return x.e >= 21 || x.e <= -7 ? x.toExponential() : x.toFixed();
}

/**
 * The string JS would make of the value json-rules-engine sees (Array.prototype.join rules for
 * arrays). Used where jre coerces to a string: `in` against a string, the number validator.
 */
export function jsString(x: unknown): string {
  if (typeof x === 'object' && x !== null) {
    if (isDecimal(x)) return decimalText(x);
    if (x instanceof Date) return String(x.getTime());
    if (Array.isArray(x)) return x.map((e: unknown) => (e === null || e === undefined ? '' : jsString(e))).join(',');
    // The adapter hands jre a copy with Object.prototype, even of a null-prototype object.
    if (isPlainObject(x)) return '[object Object]';
  }
  return String(x);
}

/** JS's ToNumber of the value jre sees, as an exact decimal; undefined for NaN. */
export function toNumberExact(x: unknown): Decimal | undefined {
  switch (typeof x) {
    case 'number':
      return Number.isNaN(x) ? undefined : new Decimal(String(x));
    case 'string': {
      const n = Number(x);
      if (Number.isNaN(n)) return undefined;
      const t = x.trim();
      // A decimal literal keeps its exact digits; anything else ('0x1A', '', 'Infinity') goes through JS.
      return new Decimal(DECIMAL_LITERAL.test(t) ? t : String(n));
    }
    case 'boolean':
      return new Decimal(x ? 1 : 0);
    case 'object': {
      if (x === null) return new Decimal(0);
      if (isDecimal(x) || x instanceof Date) return exactNumber(x);
      if (Array.isArray(x) || isPlainObject(x)) return toNumberExact(jsString(x));
      const n = Number(x);
      return Number.isNaN(n) ? undefined : new Decimal(String(n));
    }
    default:
      return undefined;
  }
}

/** json-rules-engine's numberValidator: `Number.parseFloat(factValue).toString() !== 'NaN'`. */
export function numeric(x: unknown): boolean {
  switch (typeof x) {
    case 'number':
      return !Number.isNaN(x);
    case 'string':
      return !Number.isNaN(Number.parseFloat(x));
    case 'bigint':
      return true;
    case 'object':
      if (x === null) return false;
      if (isDecimal(x)) return !x.isNaN();
      if (x instanceof Date) return !Number.isNaN(x.getTime());
      return !Number.isNaN(Number.parseFloat(jsString(x)));
    default:
      return false;
  }
}

/** JS's ToPrimitive for the objects facts hold: arrays and plain objects become their strings. */
export function toPrimitive(x: unknown): unknown {
  return Array.isArray(x) || isPlainObject(x) ? jsString(x) : x;
}

