import { LoyaltyError } from '../errors';
import { Decimal, isDecimal } from '../money/decimal';
import { isPlainObject } from '../schema/condition';
import type { CustomOperators } from './types';

/*
 * json-rules-engine 7.3.1's operators, with one deliberate difference: exact decimals.
 *
 * The reference semantics is json-rules-engine evaluating the same condition on the facts the
 * adapter gives it (`toAlmanacFacts`: every Decimal becomes the JS number of its decimal string,
 * every Date its epoch milliseconds). So here a Decimal or a Date behaves as that number would,
 * except that comparisons involving a Decimal are exact (`0.1 + 0.2` equals `0.3`). Both agree
 * on every value a double represents faithfully, which includes every amount with at most its
 * currency's decimals.
 */

/**
 * A binary operator as json-rules-engine calls it: `(factValue, conditionValue) => boolean`.
 *
 * @example
 * ```ts
 * const op: OperatorFn = builtInOperators.greaterThan;
 * op(new Decimal('19.99'), 10); // true
 * ```
 */
export type OperatorFn = (factValue: unknown, compareValue: unknown) => boolean;

/**
 * The names of json-rules-engine 7.3.1's built-in operators.
 *
 * @example
 * ```ts
 * builtInOperatorNames.includes('contains'); // true
 * ```
 */
export const builtInOperatorNames = [
  'equal',
  'notEqual',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
] as const;

/**
 * A built-in operator name.
 *
 * @example
 * ```ts
 * const n: BuiltInOperatorName = 'notIn';
 * ```
 */
export type BuiltInOperatorName = (typeof builtInOperatorNames)[number];

/**
 * json-rules-engine 7.3.1's operator decorators, written before an operator with a colon:
 * `not:in`, `someFact:greaterThan`, `not:someFact:equal` (the leftmost applies last).
 *
 * - `someFact:` / `everyFact:` — the fact is an array; some / every element passes (false when the
 *   fact is not an array; `everyFact` of an empty array holds).
 * - `someValue:` / `everyValue:` — the condition value is an array; some / every element passes.
 * - `swap:` — the operator gets (value, fact) instead of (fact, value).
 * - `not:` — negates.
 *
 * @example
 * ```ts
 * operatorDecoratorNames.includes('someFact'); // true
 * ```
 */
export const operatorDecoratorNames = ['someFact', 'everyFact', 'someValue', 'everyValue', 'swap', 'not'] as const;

/**
 * A decorator name.
 *
 * @example
 * ```ts
 * const d: OperatorDecoratorName = 'swap';
 * ```
 */
export type OperatorDecoratorName = (typeof operatorDecoratorNames)[number];

const DECIMAL_LITERAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function invalidOperand(operator: string, what: string, value: unknown): LoyaltyError {
  const got = value === null ? 'null' : Array.isArray(value) ? 'array' : isDecimal(value) ? 'decimal' : typeof value;
  return new LoyaltyError([{ code: 'invalid_operand', path: [], message: `operator ${operator} needs ${what}, got ${got}` }]);
}

/** True for the values json-rules-engine sees as numbers but we hold as objects. */
function isNumberObject(x: unknown): x is Decimal | Date {
  return typeof x === 'object' && x !== null && (isDecimal(x) || x instanceof Date);
}

/** A number, Decimal or Date as an exact decimal; undefined for NaN and for anything else. */
function exactNumber(x: unknown): Decimal | undefined {
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
function jsString(x: unknown): string {
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
function toNumberExact(x: unknown): Decimal | undefined {
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
function numeric(x: unknown): boolean {
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

/**
 * `===` on the values json-rules-engine sees: strict equality, except that a Decimal or a Date
 * equals a number, Decimal or Date of the same (exact) value.
 */
function same(a: unknown, b: unknown): boolean {
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
function includesSame(array: readonly unknown[], x: unknown): boolean {
  if (typeof x !== 'number' && !isNumberObject(x)) return array.indexOf(x) !== -1;
  for (let i = 0; i < array.length; i++) if (same(array[i], x)) return true;
  return false;
}

/** `b.indexOf(a) > -1` for jre's `in`: an array, or a string (substring); anything else throws, as in jre. */
function inside(operator: string, a: unknown, b: unknown): boolean {
  if (Array.isArray(b)) return includesSame(b, a);
  if (typeof b === 'string') return b.indexOf(jsString(a)) !== -1;
  throw invalidOperand(operator, 'an array value', b);
}

type Rel = 'lt' | 'lte' | 'gt' | 'gte';

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

/** JS's ToPrimitive for the objects facts hold: arrays and plain objects become their strings. */
function toPrimitive(x: unknown): unknown {
  return Array.isArray(x) || isPlainObject(x) ? jsString(x) : x;
}

function relation(a: unknown, b: unknown, rel: Rel): boolean {
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

/**
 * The built-in operators, with json-rules-engine 7.3.1's semantics (`in` needs an array or a
 * string value and throws `invalid_operand` otherwise, as jre throws; `contains` is false for a
 * non-array fact; the relational operators are false when the fact value fails jre's number
 * check `parseFloat(x)` and otherwise use JS's `<`, so two strings compare as strings) and exact
 * decimals wherever a Decimal is involved.
 *
 * @example
 * ```ts
 * builtInOperators.equal(new Decimal('0.1').plus('0.2'), 0.3);           // true
 * builtInOperators.equal(new Decimal('19.99'), '19.99');                 // false: a number is not a string
 * builtInOperators.lessThan(new Decimal('19.99'), '20');                 // true: '20' is read as a number
 * builtInOperators.in('gold', ['gold', 'platinum']);                    // true
 * ```
 */
export const builtInOperators: Readonly<Record<BuiltInOperatorName, OperatorFn>> = {
  equal: (a, b) => same(a, b),
  notEqual: (a, b) => !same(a, b),
  in: (a, b) => inside('in', a, b),
  notIn: (a, b) => !inside('notIn', a, b),
  contains: (a, b) => Array.isArray(a) && includesSame(a, b),
  doesNotContain: (a, b) => Array.isArray(a) && !includesSame(a, b),
  lessThan: (a, b) => relation(a, b, 'lt'),
  lessThanInclusive: (a, b) => relation(a, b, 'lte'),
  greaterThan: (a, b) => relation(a, b, 'gt'),
  greaterThanInclusive: (a, b) => relation(a, b, 'gte'),
};

type Decorate = (next: OperatorFn, name: string) => OperatorFn;

const decorate: Readonly<Record<OperatorDecoratorName, Decorate>> = {
  someFact: (next) => (a, b) => Array.isArray(a) && a.some((x: unknown) => next(x, b)),
  everyFact: (next) => (a, b) => Array.isArray(a) && a.every((x: unknown) => next(x, b)),
  someValue: (next, name) => (a, b) => {
    if (!Array.isArray(b)) throw invalidOperand(name, 'an array value', b);
    return b.some((y: unknown) => next(a, y));
  },
  everyValue: (next, name) => (a, b) => {
    if (!Array.isArray(b)) throw invalidOperand(name, 'an array value', b);
    return b.every((y: unknown) => next(a, y));
  },
  swap: (next) => (a, b) => next(b, a),
  not: (next) => (a, b) => !next(a, b),
};

// Marked side-effect free so a bundle that never compiles a rule (the service alone) drops them.
const BUILT_IN: ReadonlyMap<string, OperatorFn> = /* @__PURE__ */ (() => new Map(Object.entries(builtInOperators)))();
const DECORATORS: ReadonlySet<string> = /* @__PURE__ */ (() => new Set(operatorDecoratorNames))();
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * An operator name resolved against the built-ins, the decorators and the custom operators.
 *
 * @example
 * ```ts
 * const op = resolveOperator('not:someFact:equal');
 * op?.decorators; // ['not', 'someFact']
 * op?.evaluate(['a', 'b'], 'c'); // true
 * ```
 */
export interface ResolvedOperator {
  /** The name as written, e.g. `not:in`. */
  readonly name: string;
  /** The operator under the decorators: a built-in or custom name. */
  readonly base: string;
  /** Decorators outermost first, as written. */
  readonly decorators: readonly OperatorDecoratorName[];
  /** True when the base is a custom operator. */
  readonly custom: boolean;
  /** True when evaluation may throw `invalid_operand` (an `in`, `notIn`, `someValue` or `everyValue` inside) or `invalid_operator_result` (a custom operator). */
  readonly mayThrow: boolean;
  /** The operator with its decorators applied. */
  readonly evaluate: OperatorFn;
}

/**
 * True when `name` can name a custom operator: an identifier that is neither a built-in
 * operator nor a decorator.
 *
 * @example
 * ```ts
 * isCustomOperatorName('startsWith'); // true
 * isCustomOperatorName('not');        // false
 * ```
 */
export function isCustomOperatorName(name: string): boolean {
  return IDENTIFIER.test(name) && !BUILT_IN.has(name) && !DECORATORS.has(name);
}

function isDecoratorName(name: string): name is OperatorDecoratorName {
  return DECORATORS.has(name);
}

/**
 * Resolves an operator name as json-rules-engine's OperatorMap does: the part after the last
 * colon is the operator, the parts before are decorators, outermost first. Custom operators
 * must have identifier names (see {@link isCustomOperatorName}), so a full name never shadows a
 * decorated one. A custom operator must return a boolean: anything else throws `LoyaltyError`
 * `invalid_operator_result` when the comparison is evaluated.
 *
 * @param name - the operator as written in a condition
 * @param custom - the program's custom operators
 * @returns the resolved operator, or undefined when a part is unknown
 * @example
 * ```ts
 * resolveOperator('swap:contains')?.evaluate('vip', ['vip', 'new']); // true
 * resolveOperator('sometimes:equal'); // undefined
 * ```
 */
export function resolveOperator(name: string, custom?: CustomOperators): ResolvedOperator | undefined {
  const parts = name.split(':');
  const baseName = parts[parts.length - 1] ?? '';
  const decoratorNames = parts.slice(0, -1);
  const decorators: OperatorDecoratorName[] = [];
  for (const d of decoratorNames) {
    if (!isDecoratorName(d)) return undefined;
    decorators.push(d);
  }
  let evaluate: OperatorFn;
  let isCustom = false;
  const builtIn = BUILT_IN.get(baseName);
  if (builtIn !== undefined) evaluate = builtIn;
  else if (custom !== undefined && isCustomOperatorName(baseName) && Object.hasOwn(custom, baseName)) {
    const fn = custom[baseName];
    if (typeof fn !== 'function') return undefined;
    evaluate = (a, b) => {
      const result: unknown = fn(a, b);
      if (typeof result === 'boolean') return result;
      // json-rules-engine counts truthiness in some places and `=== true` in others: refuse instead.
      throw new LoyaltyError([{ code: 'invalid_operator_result', path: [], message: `custom operator ${baseName} returned ${result === null ? 'null' : typeof result}, not a boolean` }]);
    };
    isCustom = true;
  } else return undefined;
  // Innermost decorator first: 'not:someFact:equal' is not(someFact(equal)).
  for (let i = decorators.length - 1; i >= 0; i--) {
    const d = decorators[i];
    if (d !== undefined) evaluate = decorate[d](evaluate, decorators.slice(i).join(':') + ':' + baseName);
  }
  const mayThrow =
    isCustom || baseName === 'in' || baseName === 'notIn' || decorators.some((d) => d === 'someValue' || d === 'everyValue');
  return { name, base: baseName, decorators, custom: isCustom, mayThrow, evaluate };
}
