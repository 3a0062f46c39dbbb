import { isDecimal } from '../money/decimal';

/**
 * The only path syntax conditions accept: `$`, `$.a`, `$.a.b` … — identifiers joined by dots.
 * No brackets, wildcards, filters or script: json-rules-engine hands paths to JSONPath, which
 * can do far more; we keep the subset whose meaning is the same in both.
 *
 * @example
 * ```ts
 * PLAIN_PATH.test('$.address.country'); // true
 * PLAIN_PATH.test('$..price');          // false
 * ```
 */
export const PLAIN_PATH = /^\$(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * Property names no path may reach.
 *
 * @example
 * ```ts
 * FORBIDDEN_PATH_KEYS.has('__proto__'); // true
 * ```
 */
export const FORBIDDEN_PATH_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * What is wrong with a path, or undefined when it is a valid plain dotted path.
 *
 * @example
 * ```ts
 * pathProblem('$.a.constructor'); // 'forbidden'
 * pathProblem('$.a[0]');          // 'invalid'
 * pathProblem('$.a.b');           // undefined
 * ```
 */
export function pathProblem(path: string): 'forbidden' | 'invalid' | undefined {
  for (const token of path.split(/[^A-Za-z0-9_$]+/)) if (FORBIDDEN_PATH_KEYS.has(token)) return 'forbidden';
  return PLAIN_PATH.test(path) ? undefined : 'invalid';
}

/**
 * The keys of a valid plain dotted path: `'$.a.b'` → `['a', 'b']`, `'$'` → `[]`.
 *
 * @example
 * ```ts
 * pathKeys('$.customer.tier'); // ['customer', 'tier']
 * ```
 */
export function pathKeys(path: string): readonly string[] {
  return path === '$' ? [] : path.slice(2).split('.');
}

const { hasOwnProperty } = Object.prototype;

function isNumberObject(x: object): boolean {
  return isDecimal(x) || x instanceof Date;
}

/**
 * Reads a plain dotted path inside a fact value, as json-rules-engine (JSONPath) does on the
 * value its adapter sees, through own properties only:
 * a fact value that is not an object (a string, a number, a Decimal, a Date — the last two are
 * numbers to jre) is returned as it is, the path ignored; otherwise each key is followed when it
 * is an own property of a truthy value (a string's `length` included), and the result is
 * undefined as soon as one is not.
 *
 * @param value - the fact value
 * @param keys - from {@link pathKeys}
 * @returns the value at the path, or undefined
 * @example
 * ```ts
 * readPath({ address: { country: 'FR' } }, ['address', 'country']); // 'FR'
 * readPath({}, ['constructor']);                                     // undefined
 * ```
 */
export function readPath(value: unknown, keys: readonly string[]): unknown {
  if (typeof value !== 'object' || value === null || isNumberObject(value)) return value;
  let v: unknown = value;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key === undefined || !v) return undefined;
    if (typeof v === 'object' && isNumberObject(v)) return undefined;
    if (!hasOwnProperty.call(v, key)) return undefined;
    v = (v as Readonly<Record<string, unknown>>)[key];
  }
  return v;
}
