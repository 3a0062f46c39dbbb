import * as z from 'zod/mini';
import type { Issue } from '../errors';

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

type Path = readonly (string | number)[];
type Bag = Record<string, unknown>;

const KIND_KEYS = ['all', 'any', 'not', 'condition', 'fact'] as const;
type Kind = (typeof KIND_KEYS)[number];
const ALLOWED_KEYS: Readonly<Record<Kind, ReadonlySet<string>>> = {
  all: new Set(['all', 'priority', ...CUSTOM_PROPERTY_KEYS]),
  any: new Set(['any', 'priority', ...CUSTOM_PROPERTY_KEYS]),
  not: new Set(['not', 'priority', ...CUSTOM_PROPERTY_KEYS]),
  condition: new Set(['condition', 'priority', ...CUSTOM_PROPERTY_KEYS]),
  fact: new Set(['fact', 'operator', 'value', 'path', 'params', 'priority', ...CUSTOM_PROPERTY_KEYS]),
};
const REFERENCE_KEYS: ReadonlySet<string> = new Set(['fact', 'path', 'params']);

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

function issue(path: Path, message: string, code = 'invalid_condition'): Issue {
  return { code, path, message };
}

/**
 * Checks a JSON value and returns its height (1 for a scalar). `memo` holds the height of every
 * array and object already checked, so a value that shares sub-objects (possible from JS, never
 * from JSON) is checked in time linear in its distinct objects; its depth is still checked
 * wherever it is met again.
 */
function checkJson(value: unknown, path: Path, depth: number, out: Issue[], memo: WeakMap<object, number>): number {
  if (depth > MAX_VALUE_DEPTH) {
    out.push(issue(path, `value nested deeper than ${MAX_VALUE_DEPTH} levels`));
    return 1;
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return 1;
    case 'number':
      if (!Number.isFinite(value)) out.push(issue(path, `${String(value)} is not a JSON number`));
      return 1;
    case 'object': {
      if (value === null) return 1;
      const known = memo.get(value);
      if (known !== undefined) {
        if (depth + known - 1 > MAX_VALUE_DEPTH) out.push(issue(path, `value nested deeper than ${MAX_VALUE_DEPTH} levels`));
        return known;
      }
      let below = 0;
      if (Array.isArray(value)) {
        value.forEach((v: unknown, i) => {
          below = Math.max(below, checkJson(v, [...path, i], depth + 1, out, memo));
        });
      } else if (isPlainObject(value)) {
        for (const key of Object.keys(value)) below = Math.max(below, checkJson(value[key], [...path, key], depth + 1, out, memo));
      } else {
        out.push(issue(path, 'values must be JSON: write amounts as numbers (19.99), not Decimal or Date objects'));
        return 1;
      }
      memo.set(value, below + 1);
      return below + 1;
    }
    default:
      out.push(issue(path, `${typeof value} is not a JSON value`));
      return 1;
  }
}

function checkName(node: Bag, path: Path, out: Issue[], memo: WeakMap<object, number>): void {
  if (Object.hasOwn(node, 'name') && typeof node.name !== 'string') out.push(issue([...path, 'name'], 'name must be a string'));
  for (const key of ['id', 'customId', 'description'] as const) if (Object.hasOwn(node, key)) checkJson(node[key], [...path, key], 1, out, memo);
  if (Object.hasOwn(node, 'priority')) {
    const p = node.priority;
    if (typeof p !== 'number' || !Number.isSafeInteger(p) || p < 1) out.push(issue([...path, 'priority'], 'priority must be a positive integer'));
  }
}

function checkNonEmptyString(node: Bag, key: string, path: Path, out: Issue[]): void {
  const v = node[key];
  if (typeof v !== 'string' || v === '') out.push(issue([...path, key], `${key} must be a non-empty string`));
}

function checkParams(node: Bag, path: Path, out: Issue[], memo: WeakMap<object, number>): void {
  if (!Object.hasOwn(node, 'params')) return;
  if (!isPlainObject(node.params)) out.push(issue([...path, 'params'], 'params must be an object'));
  else checkJson(node.params, [...path, 'params'], 1, out, memo);
}

function checkLeaf(node: Bag, path: Path, out: Issue[], memo: WeakMap<object, number>): void {
  checkNonEmptyString(node, 'fact', path, out);
  if (!Object.hasOwn(node, 'operator')) out.push(issue([...path, 'operator'], 'a comparison needs an operator'));
  else checkNonEmptyString(node, 'operator', path, out);
  if (Object.hasOwn(node, 'path') && typeof node.path !== 'string') out.push(issue([...path, 'path'], 'path must be a string'));
  checkParams(node, path, out, memo);
  if (!Object.hasOwn(node, 'value')) {
    out.push(issue([...path, 'value'], 'a comparison needs a value (null is a value)'));
    return;
  }
  const value = node.value;
  const at = [...path, 'value'];
  if (isPlainObject(value) && Object.hasOwn(value, 'fact')) {
    for (const key of Object.keys(value)) {
      if (!REFERENCE_KEYS.has(key)) out.push(issue([...at, key], `unknown key "${key}" in a fact reference (allowed: fact, path, params)`));
    }
    checkNonEmptyString(value, 'fact', at, out);
    if (Object.hasOwn(value, 'path') && typeof value.path !== 'string') out.push(issue([...at, 'path'], 'path must be a string'));
    checkParams(value, at, out, memo);
    return;
  }
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, 'fact')) {
    out.push(issue(at, 'an object with a "fact" key is a fact reference and must be a plain object'));
    return;
  }
  checkJson(value, at, 0, out, memo);
}

/** Structural memo of one check: heights of the condition nodes and JSON values already checked. */
interface Memo {
  readonly nodes: WeakMap<object, number>;
  readonly values: WeakMap<object, number>;
}

function tooDeep(path: Path): Issue {
  return issue(path, `conditions nested deeper than ${MAX_STRUCTURAL_DEPTH} levels`, 'condition_too_deep');
}

/**
 * Checks one node and returns its height (1 for a leaf). A node object met again (JS graphs can
 * share sub-objects) is not walked again: its issues were reported where it was first met, and
 * its memoised height still bounds the depth here. A node met again while it is still being
 * walked (a cycle) has no height yet and is walked until the depth limit stops it.
 */
function walk(node: unknown, path: Path, depth: number, topLevel: boolean, out: Issue[], memo: Memo): number {
  if (depth > MAX_STRUCTURAL_DEPTH) {
    out.push(tooDeep(path));
    return 1;
  }
  if (Array.isArray(node)) {
    out.push(issue(path, 'a condition must be an object, not an array'));
    return 1;
  }
  if (!isPlainObject(node)) {
    out.push(issue(path, 'a condition must be an object'));
    return 1;
  }
  const known = memo.nodes.get(node);
  if (known !== undefined) {
    if (depth + known - 1 > MAX_STRUCTURAL_DEPTH) out.push(tooDeep(path));
    return known;
  }
  const height = walkNode(node, path, depth, topLevel, out, memo);
  memo.nodes.set(node, height);
  return height;
}

function walkNode(node: Bag, path: Path, depth: number, topLevel: boolean, out: Issue[], memo: Memo): number {
  const kinds = KIND_KEYS.filter((k) => Object.hasOwn(node, k));
  const kind = kinds[0];
  if (kind === undefined || kinds.length > 1) {
    out.push(
      issue(
        path,
        kind === undefined
          ? 'a condition needs one of all, any, not, condition or fact'
          : `a condition has exactly one of all, any, not, condition or fact; this one has ${kinds.join(', ')}`,
      ),
    );
    return 1;
  }
  if (topLevel && kind === 'fact') {
    out.push(issue(path, 'a top-level condition must be all, any, not or a condition reference'));
    return 1;
  }
  const allowed = ALLOWED_KEYS[kind];
  for (const key of Object.keys(node)) {
    if (!allowed.has(key)) out.push(issue([...path, key], `unknown key "${key}" in a${kind === 'fact' ? ' comparison' : `n "${kind}" condition`}`));
  }
  checkName(node, path, out, memo.values);
  switch (kind) {
    case 'all':
    case 'any': {
      const children = node[kind];
      if (!Array.isArray(children)) {
        out.push(issue([...path, kind], `${kind} must be an array of conditions`));
        return 1;
      }
      let below = 0;
      children.forEach((child: unknown, i) => {
        below = Math.max(below, walk(child, [...path, kind, i], depth + 1, false, out, memo));
      });
      return below + 1;
    }
    case 'not':
      return walk(node.not, [...path, 'not'], depth + 1, false, out, memo) + 1;
    case 'condition':
      checkNonEmptyString(node, 'condition', path, out);
      return 1;
    case 'fact':
      checkLeaf(node, path, out, memo.values);
      return 1;
    default: {
      const never: never = kind;
      throw new Error(`unreachable ${String(never)}`);
    }
  }
}

/**
 * Structural issues of a condition tree in json-rules-engine's format: each node has exactly one
 * of `all`, `any`, `not`, `condition`, `fact`, only the keys its kind allows, JSON values, and
 * nesting at most {@link MAX_STRUCTURAL_DEPTH} deep (checked before descending, so a hostile
 * config cannot overflow the stack). An object met twice (JS object graphs can share sub-objects)
 * is checked once, so the check is linear in the distinct objects; its issues are reported where
 * it is first met. Semantic checks (facts, operators, shared conditions,
 * limits) are `validateConditions`' job.
 *
 * @param value - the untrusted condition
 * @param path - where it sits in the config; every issue path starts with it
 * @param options - `topLevel: false` to accept a bare comparison as the root
 * @returns every issue found, empty when the structure is valid
 * @example
 * ```ts
 * conditionStructureIssues({ all: [{ fact: 'a', operator: 'equal' }] }, ['rules', 0, 'when']);
 * // [{ code: 'invalid_condition', path: ['rules', 0, 'when', 'all', 0, 'value'], message: 'a comparison needs a value (null is a value)' }]
 * ```
 */
export function conditionStructureIssues(value: unknown, path: Path = [], options?: { readonly topLevel?: boolean | undefined }): Issue[] {
  const out: Issue[] = [];
  walk(value, path, 1, options?.topLevel ?? true, out, { nodes: new WeakMap(), values: new WeakMap() });
  return out;
}

function structural<T>(topLevel: boolean): z.ZodMiniType<T, unknown> {
  const checked = z.unknown().check(
    z.superRefine((value, ctx) => {
      for (const found of conditionStructureIssues(value, [], { topLevel })) {
        ctx.addIssue({ code: 'custom', message: found.message, path: [...found.path], params: { code: found.code } });
      }
    }),
  );
  return z.pipe(checked, z.transform((value) => value as T));
}

/**
 * zod schema for the root of a rule's conditions (`all` / `any` / `not` / `condition`). Checks
 * structure only; each issue is a zod `custom` issue whose `params.code` is `invalid_condition`
 * or `condition_too_deep`. The parsed value is the input itself (not a copy).
 *
 * @example
 * ```ts
 * const when = topLevelConditionSchema.parse({ any: [{ fact: 'customer.tier', operator: 'in', value: ['gold', 'platinum'] }] });
 * ```
 */
export const topLevelConditionSchema: z.ZodMiniType<TopLevelCondition, unknown> = /* @__PURE__ */ structural<TopLevelCondition>(true);

/**
 * zod schema for any condition node, a bare comparison included. Structure only, as
 * {@link topLevelConditionSchema}.
 *
 * @example
 * ```ts
 * const c = conditionSchema.parse({ fact: 'order.itemCount', operator: 'greaterThan', value: 3 });
 * ```
 */
export const conditionSchema: z.ZodMiniType<Condition, unknown> = /* @__PURE__ */ structural<Condition>(false);
