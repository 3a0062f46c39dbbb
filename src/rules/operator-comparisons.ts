import { LoyaltyError } from '../errors';
import { isDecimal } from '../money/decimal';
import { exactNumber, isNumberObject, jsString, numeric, toNumberExact, toPrimitive } from './operator-values';

/*
 * The comparisons behind the built-in operators, on the values json-rules-engine sees
 * (operator-values.ts): equality, membership, and the relational operators.
 */

/**
 * The error where json-rules-engine throws on an operand: `in` / `notIn` against a value that is
 * neither an array nor a string, `someValue:` / `everyValue:` against a non-array.
 */
export function invalidOperand(operator: string, what: string, value: unknown): LoyaltyError {
  const got = value === null ? 'null' : Array.isArray(value) ? 'array' : isDecimal(value) ? 'decimal' : typeof value;
  return new LoyaltyError([{ code: 'invalid_operand', path: [], message: `operator ${operator} needs ${what}, got ${got}` }]);
}

/**
 * `===` on the values json-rules-engine sees: strict equality, except that a Decimal or a Date
 * equals a number, Decimal or Date of the same (exact) value.
 */
export function same(a: unknown, b: unknown): boolean {
  const aObj = typeof a === 'object' && a !== null;
  const bObj = typeof b === 'object' && b !== null;
  if (!aObj && !bObj) return a === b;
  if (isNumberObject(a) || isNumberObject(b)) {
    const x = exactNumber(a);
    if (x === undefined) return false;
    const y = exactNumber(b);
    return y !== undefined && x.eq(y);
  }
  return a === b;
}

/** `array.indexOf(x) !== -1` on the values jre sees. */
export function includesSame(array: readonly unknown[], x: unknown): boolean {
  if (typeof x !== 'number' && !isNumberObject(x)) return array.indexOf(x) !== -1;
  for (let i = 0; i < array.length; i++) if (same(array[i], x)) return true;
  return false;
}

/** `b.indexOf(a) > -1` for jre's `in`: an array, or a string (substring); anything else throws, as in jre. */
export function inside(operator: string, a: unknown, b: unknown): boolean {
  if (Array.isArray(b)) return includesSame(b, a);
  if (typeof b === 'string') return b.indexOf(jsString(a)) !== -1;
  throw invalidOperand(operator, 'an array value', b);
}

/** A relational operator: `<`, `<=`, `>`, `>=`. */
export type Rel = 'lt' | 'lte' | 'gt' | 'gte';

// JS's abstract relational comparison, on purpose (strings compare as strings, as in jre).
function nativeRelation(a: unknown, b: unknown, rel: Rel): boolean {
  const x = a as number;
  const y = b as number;
  switch (rel) {
    case 'lt':
      return x < y;
    case 'lte':
      return x <= y;
    case 'gt':
      return x > y;
    case 'gte':
      return x >= y;
    default: {
      const never: never = rel;
      throw new Error(`unreachable ${String(never)}`);
    }
  }
}

function signRelation(sign: number, rel: Rel): boolean {
  switch (rel) {
    case 'lt':
      return sign < 0;
    case 'lte':
      return sign <= 0;
    case 'gt':
      return sign > 0;
    case 'gte':
      return sign >= 0;
    default: {
      const never: never = rel;
      throw new Error(`unreachable ${String(never)}`);
    }
  }
}

/**
 * jre's relational operators: false when the fact value fails jre's number check, exact when a
 * Decimal or a Date is involved, JS's `<` otherwise (two strings compare as strings).
 */
export function relation(a: unknown, b: unknown, rel: Rel): boolean {
  if (!numeric(a)) return false;
  const aObj = typeof a === 'object' && a !== null;
  const bObj = typeof b === 'object' && b !== null;
  if (!aObj && !bObj) return nativeRelation(a, b, rel);
  if (isNumberObject(a) || isNumberObject(b)) {
    const x = toNumberExact(a);
    if (x === undefined) return false;
    const y = toNumberExact(b);
    return y !== undefined && signRelation(x.cmp(y), rel);
  }
  return nativeRelation(toPrimitive(a), toPrimitive(b), rel);
}

