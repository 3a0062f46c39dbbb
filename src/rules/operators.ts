import { LoyaltyError } from '../errors';
import { includesSame, inside, invalidOperand, relation, same } from './operator-comparisons';
import type { CustomOperators } from './types';

/*
 * json-rules-engine 7.3.1's operators and decorators, and how a name resolves to them. What a
 * value is to them (exact decimals, JS coercions) is in operator-values.ts; the comparisons
 * themselves are in operator-comparisons.ts.
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
