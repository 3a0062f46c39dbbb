/**
 * The types a fact catalogue and an evaluator agree on. The catalogue itself (the facts the
 * library computes) lives in `catalog.ts`; this file only says what a catalogue looks like.
 */

/**
 * The type of a fact's value in a {@link Facts} object:
 *
 * - `'string'`: a JS string; `'boolean'`: a JS boolean; `'integer'`: a JS safe integer;
 * - `'decimal'`: an exact decimal (a `Decimal` instance), used for every amount;
 * - `'string[]'`: an array of strings; `'instant'`: a `Date`;
 * - `'unknown'`: anything else (objects reached with a `path`, lists of mixed values).
 *
 * @example
 * ```ts
 * const t: FactType = 'decimal';
 * ```
 */
export type FactType = 'string' | 'decimal' | 'integer' | 'boolean' | 'string[]' | 'instant' | 'unknown';

/**
 * What the catalogue says about one fact.
 *
 * @example
 * ```ts
 * const spec: FactSpec = { type: 'decimal', description: 'Order subtotal before discounts, in major units' };
 * ```
 */
export interface FactSpec {
  /** The type of the fact's value. */
  readonly type: FactType;
  /** What the fact means, for docs and the CLI. */
  readonly description: string;
  /**
   * True when the fact takes json-rules-engine's `params`: its value in a {@link Facts} object is
   * a function of the condition's `params` object (`{}` when the condition has none), called when
   * a comparison reads it. Conditions may set `params` only on such facts.
   */
  readonly params?: boolean | undefined;
}

/**
 * Every fact a condition may name, keyed by its dotted name (`'order.subtotal'`).
 *
 * @example
 * ```ts
 * const facts: FactCatalog = {
 *   'event.type': { type: 'string', description: 'The event kind' },
 *   'order.subtotal': { type: 'decimal', description: 'Order subtotal' },
 * };
 * ```
 */
export type FactCatalog = Readonly<Record<string, FactSpec>>;

/**
 * One evaluation's fact values: a flat object keyed by dotted fact names. Strings, booleans,
 * integers (JS numbers), decimals (`Decimal` instances), string arrays and `Date`s. The facts
 * builder always fills every catalogued fact; a fact missing from the object is a programming
 * error and the evaluator throws `undefined_fact`.
 *
 * @example
 * ```ts
 * const facts: Facts = { 'event.type': 'purchase', 'order.subtotal': new Decimal('19.99') };
 * ```
 */
export type Facts = Readonly<Record<string, unknown>>;

/**
 * A custom operator: compares a fact's value with a condition's value. It must return a boolean;
 * any other result throws `LoyaltyError` `invalid_operator_result` when evaluated. It receives the library's values (a `Decimal` for an
 * amount); through the json-rules-engine adapter the same function receives JS numbers, so
 * write it to accept both if the program also runs there.
 *
 * @example
 * ```ts
 * const startsWith: CustomOperator = (fact, value) =>
 *   typeof fact === 'string' && typeof value === 'string' && fact.startsWith(value);
 * ```
 */
export type CustomOperator = (factValue: unknown, compareValue: unknown) => boolean;

/**
 * Custom operators by name. A name is an identifier (`/^[A-Za-z_][A-Za-z0-9_]*$/`) that is not a
 * built-in operator or a decorator; decorators (`not:`, `someFact:` …) apply to custom operators too.
 *
 * @example
 * ```ts
 * const operators: CustomOperators = { startsWith: (f, v) => typeof f === 'string' && typeof v === 'string' && f.startsWith(v) };
 * ```
 */
export type CustomOperators = Readonly<Record<string, CustomOperator>>;

/**
 * A path into a config or an input, as in an `Issue`: `['rules', 2, 'when', 'all', 0]`.
 *
 * @example
 * ```ts
 * const at: ConfigPath = ['rules', 0, 'when'];
 * ```
 */
export type ConfigPath = readonly (string | number)[];

/**
 * Size limits for a program's conditions, checked at definition time.
 *
 * @example
 * ```ts
 * const limits: ConditionLimits = { maxDepth: 8, maxNodes: 256 };
 * ```
 */
export interface ConditionLimits {
  /** Deepest nesting after shared conditions are inlined; the root is depth 1. Default 16, at most 256. */
  readonly maxDepth?: number | undefined;
  /** Total nodes of all conditions after shared conditions are inlined. Default 512. */
  readonly maxNodes?: number | undefined;
}
