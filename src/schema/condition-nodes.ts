/*
 * What a condition is, in json-rules-engine's JSON format: its node types, the keys they may
 * carry, the nesting limits and the guards the checks share. The structural check is in
 * condition-structure.ts, the zod schemas in condition.ts.
 */

/**
 * A condition's value read from another fact: `{ fact: 'customer.birthMonth' }`, optionally with
 * a plain dotted `path` into an object fact. json-rules-engine treats any object value with an own
 * `fact` key as a reference; so do we.
 *
 * @example
 * ```ts
 * const ref: FactReference = { fact: 'time.month' };
 * ```
 */
export interface FactReference {
  readonly fact: string;
  readonly path?: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

/**
 * Properties any condition node may carry for the host's own use, as json-rules-engine keeps
 * them: never evaluated, passed through to the trace (`explain`) as `properties`. `name` (also
 * allowed) must be a string; these may be any JSON value. Other unknown keys are refused, to
 * catch typos.
 *
 * @example
 * ```ts
 * const c: LeafCondition = { id: 'min-basket', fact: 'order.subtotal', operator: 'greaterThan', value: 20 };
 * ```
 */
export interface CustomProperties {
  readonly id?: unknown;
  readonly customId?: unknown;
  readonly description?: unknown;
}

/**
 * The keys of {@link CustomProperties}, plus `name`.
 *
 * @example
 * ```ts
 * CUSTOM_PROPERTY_KEYS.includes('customId'); // true
 * ```
 */
export const CUSTOM_PROPERTY_KEYS = ['id', 'customId', 'name', 'description'] as const;

/**
 * A comparison: the value of `fact` (or of `path` inside it), an operator, and a JSON value or a
 * {@link FactReference}. `priority` orders siblings as in json-rules-engine: higher first, and
 * an `all` / `any` stops at the first sibling that decides it (so a lower-priority sibling that
 * would throw is never evaluated).
 *
 * @example
 * ```ts
 * const c: LeafCondition = { fact: 'order.subtotal', operator: 'greaterThanInclusive', value: 50 };
 * ```
 */
export interface LeafCondition extends CustomProperties {
  readonly fact: string;
  readonly operator: string;
  readonly value: unknown;
  readonly path?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly name?: string;
  readonly priority?: number;
}

/**
 * True when every child holds (json-rules-engine: an empty `all` holds).
 *
 * @example
 * ```ts
 * const c: AllCondition = { all: [{ fact: 'event.type', operator: 'equal', value: 'purchase' }] };
 * ```
 */
export interface AllCondition extends CustomProperties {
  readonly all: readonly Condition[];
  readonly name?: string;
  readonly priority?: number;
}

/**
 * True when some child holds. As in json-rules-engine 7.3.1, an empty `any` holds.
 *
 * @example
 * ```ts
 * const c: AnyCondition = { any: [{ fact: 'customer.tier', operator: 'equal', value: 'gold' }] };
 * ```
 */
export interface AnyCondition extends CustomProperties {
  readonly any: readonly Condition[];
  readonly name?: string;
  readonly priority?: number;
}

/**
 * True when its one child does not hold.
 *
 * @example
 * ```ts
 * const c: NotCondition = { not: { fact: 'order.category', operator: 'in', value: ['gift-cards'] } };
 * ```
 */
export interface NotCondition extends CustomProperties {
  readonly not: Condition;
  readonly name?: string;
  readonly priority?: number;
}

/**
 * A reference to a shared, named condition of the program (json-rules-engine's `setCondition`).
 *
 * @example
 * ```ts
 * const c: ConditionReference = { condition: 'isPurchase' };
 * ```
 */
export interface ConditionReference extends CustomProperties {
  readonly condition: string;
  readonly name?: string;
  readonly priority?: number;
}

/**
 * The root of a rule's conditions: `all`, `any`, `not` or a shared condition reference.
 *
 * @example
 * ```ts
 * const when: TopLevelCondition = { all: [{ condition: 'isPurchase' }, { fact: 'order.subtotal', operator: 'greaterThan', value: 100 }] };
 * ```
 */
export type TopLevelCondition = AllCondition | AnyCondition | NotCondition | ConditionReference;

/**
 * Any node of a condition tree.
 *
 * @example
 * ```ts
 * const c: Condition = { fact: 'customer.tags', operator: 'contains', value: 'vip' };
 * ```
 */
export type Condition = TopLevelCondition | LeafCondition;

/**
 * Deepest condition nesting the structural check descends into (the configurable limit is lower).
 *
 * @example
 * ```ts
 * MAX_STRUCTURAL_DEPTH; // 256
 * ```
 */
export const MAX_STRUCTURAL_DEPTH = 256;
/**
 * Deepest nesting of arrays and objects inside one condition value.
 *
 * @example
 * ```ts
 * MAX_VALUE_DEPTH; // 64
 * ```
 */
export const MAX_VALUE_DEPTH = 64;

/**
 * True for a plain object (`{}` or `Object.create(null)`), false for arrays, class instances
 * (a `Decimal`, a `Date`) and primitives.
 *
 * @example
 * ```ts
 * isPlainObject({ a: 1 }); // true
 * isPlainObject([1]);      // false
 * ```
 */
export function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * True when a condition value is a reference to another fact (an object with an own `fact` key),
 * exactly as json-rules-engine decides it.
 *
 * @example
 * ```ts
 * isFactReference({ fact: 'time.month' }); // true
 * isFactReference(['a', 'b']);            // false
 * ```
 */
export function isFactReference(value: unknown): value is FactReference {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, 'fact');
}
