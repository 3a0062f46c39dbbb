import { isDecimal } from '../money/decimal';

/**
 * The path syntax conditions accept: `$` followed by `.name` (an identifier), `[n]` (an array
 * index, no leading zeros) and `[*]` (every element of an array, every value of an object):
 * `$.address.country`, `$.items[0].sku`, `$.items[*].sku`. No recursive descent, filters,
 * slices, unions, quoted keys or script: json-rules-engine hands paths to JSONPath, which can do
 * far more; we keep the subset whose meaning we reproduce exactly, compiled to own-property reads.
 *
 * @example
 * ```ts
 * PLAIN_PATH.test('$.items[*].sku'); // true
 * PLAIN_PATH.test('$..price');       // false
 * ```
 */
export const PLAIN_PATH = /^\$(?:\.[A-Za-z_][A-Za-z0-9_]*|\[(?:0|[1-9][0-9]{0,8})\]|\[\*\])*$/;

/**
 * The key {@link pathKeys} uses for `[*]`; no identifier or index can be `*`.
 *
 * @example
 * ```ts
 * pathKeys('$.items[*].sku'); // ['items', WILDCARD, 'sku']
 * ```
 */
export const WILDCARD = '*';

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
 * What is wrong with a path, or undefined when it is a valid {@link PLAIN_PATH}.
 *
 * @example
 * ```ts
 * pathProblem('$.a.constructor'); // 'forbidden'
 * pathProblem('$..a');            // 'invalid'
 * pathProblem('$.a[0].b');        // undefined
 * ```
 */
export function pathProblem(path: string): 'forbidden' | 'invalid' | undefined {
  for (const token of path.split(/[^A-Za-z0-9_$]+/)) if (FORBIDDEN_PATH_KEYS.has(token)) return 'forbidden';
  return PLAIN_PATH.test(path) ? undefined : 'invalid';
}

/**
 * The keys of a valid {@link PLAIN_PATH}: names, indexes as strings, {@link WILDCARD} for `[*]`.
 *
 * @example
 * ```ts
 * pathKeys('$.customer.tier'); // ['customer', 'tier']
 * pathKeys('$.items[0].sku');  // ['items', '0', 'sku']
 * pathKeys('$');               // []
 * ```
 */
export function pathKeys(path: string): readonly string[] {
  const keys: string[] = [];
  for (const m of path.slice(1).matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]+|\*)\]/g)) keys.push(m[1] ?? m[2] ?? '');
  return keys;
}

const { hasOwnProperty } = Object.prototype;

function isNumberObject(x: object): boolean {
  return isDecimal(x) || x instanceof Date;
}

/**
 * Reads a path inside a fact value as json-rules-engine (JSONPath, `wrap: false`) does on the
 * value its adapter sees, through own properties only:
 *
 * - a fact value that is not an object (a string, a number, a Decimal, a Date — the last two are
 *   numbers to jre) is returned as it is, the path ignored;
 * - a name or an index is followed when it is an own property of a truthy value (a string's
 *   `length` and characters included); a Decimal or a Date met on the way has none;
 * - `[*]` goes on from every element of an array, every own value of a plain object;
 * - the result is undefined when nothing matched; the single match when there is one and the
 *   path has no `[*]`; otherwise the array of every match (even of one).
 *
 * @param value - the fact value
 * @param keys - from {@link pathKeys}
 * @returns the value at the path, or undefined
 * @example
 * ```ts
 * readPath({ address: { country: 'FR' } }, ['address', 'country']); // 'FR'
 * readPath({ items: [{ sku: 'a' }, {}] }, ['items', WILDCARD, 'sku']); // ['a']
 * readPath({}, ['constructor']);                                     // undefined
 * ```
 */
export function readPath(value: unknown, keys: readonly string[]): unknown {
  if (typeof value !== 'object' || value === null || isNumberObject(value)) return value;
  if (keys.indexOf(WILDCARD) !== -1) return readAll(value, keys);
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

/** The general case, with wildcards: every match, level by level, which keeps JSONPath's (document) order. */
function readAll(value: object, keys: readonly string[]): unknown {
  let current: unknown[] = [value];
  for (const key of keys) {
    const next: unknown[] = [];
    for (const v of current) {
      if (!v || (typeof v === 'object' && isNumberObject(v))) continue;
      if (key === WILDCARD) {
        if (Array.isArray(v)) for (let i = 0; i < v.length; i++) next.push(v[i]);
        else if (typeof v === 'object') for (const k of Object.keys(v)) next.push((v as Readonly<Record<string, unknown>>)[k]);
      } else if (hasOwnProperty.call(v, key)) next.push((v as Readonly<Record<string, unknown>>)[key]);
    }
    current = next;
  }
  return current.length === 0 ? undefined : current;
}
