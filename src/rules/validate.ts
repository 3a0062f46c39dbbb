import type { Issue } from '../errors';
import { closestName } from '../schema/issues';
import { conditionStructureIssues, isFactReference, MAX_STRUCTURAL_DEPTH } from '../schema/condition';
import type { Condition, LeafCondition, TopLevelCondition } from '../schema/condition';
import { builtInOperatorNames, isCustomOperatorName, operatorDecoratorNames, resolveOperator } from './operators';
import type { OperatorDecoratorName } from './operators';
import { pathProblem } from './path';
import type { ConditionLimits, ConfigPath, CustomOperators, FactCatalog, FactSpec, FactType } from './types';

/**
 * Every issue code {@link validateConditions} can report.
 *
 * @example
 * ```ts
 * const code: ConditionIssueCode = 'unknown_fact';
 * ```
 */
export type ConditionIssueCode =
  | 'invalid_condition'
  | 'unknown_operator'
  | 'invalid_custom_operator'
  | 'unknown_fact'
  | 'forbidden_fact'
  | 'in_value_not_array'
  | 'value_not_array'
  | 'missing_condition'
  | 'condition_cycle'
  | 'condition_too_deep'
  | 'condition_too_large'
  | 'invalid_path'
  | 'forbidden_path'
  | 'path_not_applicable'
  | 'params_not_supported';

/**
 * A program's conditions as {@link validateConditions} checks them, each with its path in the
 * program config, so every issue points at the offending field.
 *
 * @example
 * ```ts
 * const set: ConditionSet = {
 *   conditions: [{ path: ['rules', 0, 'when'], condition: { all: [{ condition: 'isPurchase' }] } }],
 *   shared: { isPurchase: { all: [{ fact: 'event.type', operator: 'equal', value: 'purchase' }] } },
 *   sharedPath: ['conditions'],
 *   facts: { 'event.type': { type: 'string', description: 'event kind' } },
 * };
 * ```
 */
export interface ConditionSet {
  /** The conditions to check; `condition: undefined` (no condition, always true) is skipped. */
  readonly conditions: readonly { readonly path: ConfigPath; readonly condition: TopLevelCondition | undefined }[];
  /** Shared conditions by name, referenced with `{ condition: name }`. */
  readonly shared?: Readonly<Record<string, TopLevelCondition>> | undefined;
  /** Where `shared` sits in the config; default `['shared']`. */
  readonly sharedPath?: ConfigPath | undefined;
  /** The facts conditions may name. */
  readonly facts: FactCatalog;
  /** Custom operators by name. */
  readonly operators?: CustomOperators | undefined;
  /** Where `operators` sits in the config; default `['operators']`. */
  readonly operatorsPath?: ConfigPath | undefined;
}

/**
 * Default {@link ConditionLimits}.
 *
 * @example
 * ```ts
 * DEFAULT_CONDITION_LIMITS.maxDepth; // 16
 * ```
 */
export const DEFAULT_CONDITION_LIMITS = { maxDepth: 16, maxNodes: 512 } as const;

interface Context {
  readonly facts: FactCatalog;
  readonly operators: CustomOperators | undefined;
  readonly shared: Readonly<Record<string, TopLevelCondition>>;
  readonly maxDepth: number;
  readonly out: Issue[];
}

interface Reference {
  readonly name: string;
  readonly path: ConfigPath;
  readonly depth: number;
}

function push(ctx: Context, code: ConditionIssueCode, path: ConfigPath, message: string): void {
  ctx.out.push({ code, path, message });
}

function suggestion(name: string, candidates: Iterable<string>): string {
  const best = closestName(name, candidates);
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

/** A fact name no catalogue may use: it would read a prototype property of the facts object. */
function isForbiddenFactName(name: string): boolean {
  return name === '__proto__' || name in Object.prototype;
}

function lookupFact(ctx: Context, name: string, at: ConfigPath): FactSpec | undefined {
  if (isForbiddenFactName(name)) {
    push(ctx, 'forbidden_fact', at, `"${name}" cannot name a fact`);
    return undefined;
  }
  if (!Object.hasOwn(ctx.facts, name)) {
    push(ctx, 'unknown_fact', at, `unknown fact "${name}"${suggestion(name, Object.keys(ctx.facts))}`);
    return undefined;
  }
  return ctx.facts[name];
}

function checkPath(ctx: Context, path: string, at: ConfigPath, fact: string, spec: FactSpec | undefined): void {
  const problem = pathProblem(path);
  if (problem === 'forbidden') {
    push(ctx, 'forbidden_path', at, `path "${path}" reaches __proto__, constructor or prototype`);
    return;
  }
  if (problem === 'invalid') {
    push(ctx, 'invalid_path', at, `path "${path}" is not a supported path: names, indexes and [*], like "$.a.b", "$.items[0].sku" or "$.items[*].sku" (no "..", filters, slices or quoted keys)`);
    return;
  }
  if (spec !== undefined && spec.type !== 'unknown' && spec.type !== 'string[]') {
    push(ctx, 'path_not_applicable', at, `fact "${fact}" is a ${spec.type}; a path only applies to an object fact`);
  }
}

/** One side of an operator as far as load time can know it. */
type Side =
  | { readonly kind: 'const'; readonly value: unknown; readonly path: ConfigPath }
  | { readonly kind: 'fact'; readonly type: FactType; readonly name: string; readonly path: ConfigPath }
  | { readonly kind: 'opaque' };

const OPAQUE: Side = { kind: 'opaque' };

function requireArray(ctx: Context, side: Side, code: ConditionIssueCode, operator: string): boolean {
  if (side.kind === 'const' && !Array.isArray(side.value)) {
    push(ctx, code, side.path, `${operator} needs an array value, got ${side.value === null ? 'null' : typeof side.value}`);
    return false;
  }
  if (side.kind === 'fact' && side.type !== 'string[]' && side.type !== 'unknown') {
    push(ctx, code, side.path, `${operator} needs an array, but fact "${side.name}" is a ${side.type}`);
    return false;
  }
  return true;
}

/** Follows the decorators outermost first, tracking what reaches the base operator. */
function checkShapes(
  ctx: Context,
  decorators: readonly OperatorDecoratorName[],
  i: number,
  base: string,
  a: Side,
  b: Side,
  name: string,
): void {
  const d = decorators[i];
  if (d === undefined) {
    if (base === 'in' || base === 'notIn') requireArray(ctx, b, 'in_value_not_array', name);
    return;
  }
  switch (d) {
    case 'not':
      checkShapes(ctx, decorators, i + 1, base, a, b, name);
      return;
    case 'swap':
      checkShapes(ctx, decorators, i + 1, base, b, a, name);
      return;
    case 'someFact':
    case 'everyFact':
      // A non-array fact makes these false, never an error.
      checkShapes(ctx, decorators, i + 1, base, OPAQUE, b, name);
      return;
    case 'someValue':
    case 'everyValue':
      if (!requireArray(ctx, b, 'value_not_array', name)) return;
      if (b.kind === 'const' && Array.isArray(b.value)) {
        const path = b.path;
        b.value.forEach((v: unknown, j) => checkShapes(ctx, decorators, i + 1, base, a, { kind: 'const', value: v, path: [...path, j] }, name));
      } else checkShapes(ctx, decorators, i + 1, base, a, OPAQUE, name);
      return;
    default: {
      const never: never = d;
      throw new Error(`unreachable ${String(never)}`);
    }
  }
}

function side(name: string, spec: FactSpec | undefined, path: string | undefined, at: ConfigPath): Side {
  if (spec === undefined) return OPAQUE;
  return { kind: 'fact', type: path === undefined ? spec.type : 'unknown', name, path: at };
}

function checkLeaf(ctx: Context, leaf: LeafCondition, at: ConfigPath): void {
  const spec = lookupFact(ctx, leaf.fact, [...at, 'fact']);
  if (leaf.path !== undefined) checkPath(ctx, leaf.path, [...at, 'path'], leaf.fact, spec);
  if (leaf.params !== undefined && spec !== undefined && spec.params !== true) {
    push(ctx, 'params_not_supported', [...at, 'params'], `fact "${leaf.fact}" takes no params (only facts registered with params: true do)`);
  }
  let valueSide: Side;
  const value = leaf.value;
  if (isFactReference(value)) {
    const vAt = [...at, 'value'];
    const vSpec = lookupFact(ctx, value.fact, [...vAt, 'fact']);
    if (value.path !== undefined) checkPath(ctx, value.path, [...vAt, 'path'], value.fact, vSpec);
    if (value.params !== undefined && vSpec !== undefined && vSpec.params !== true) {
      push(ctx, 'params_not_supported', [...vAt, 'params'], `fact "${value.fact}" takes no params (only facts registered with params: true do)`);
    }
    valueSide = side(value.fact, vSpec, value.path, vAt);
  } else valueSide = { kind: 'const', value, path: [...at, 'value'] };

  const op = resolveOperator(leaf.operator, ctx.operators);
  if (op === undefined) {
    const known = [...builtInOperatorNames, ...Object.keys(ctx.operators ?? {})];
    const parts = leaf.operator.split(':');
    const badDecorator = parts.slice(0, -1).find((p) => !(operatorDecoratorNames as readonly string[]).includes(p));
    const message =
      badDecorator !== undefined
        ? `unknown decorator "${badDecorator}" in operator "${leaf.operator}" (decorators: ${operatorDecoratorNames.join(', ')})`
        : `unknown operator "${leaf.operator}"${suggestion(parts[parts.length - 1] ?? '', known)}`;
    push(ctx, 'unknown_operator', [...at, 'operator'], message);
    return;
  }
  checkShapes(ctx, op.decorators, 0, op.base, side(leaf.fact, spec, leaf.path, [...at, 'fact']), valueSide, leaf.operator);
}

/**
 * Walks one condition's own nodes (not following references); collects the references. `seen`
 * holds the node objects of this condition already walked: a sub-object shared within one
 * condition (JS graphs) is checked once, its depth being bounded later by `measure`.
 */
function walk(ctx: Context, node: Condition, at: ConfigPath, depth: number, refs: Reference[], seen: WeakSet<object>): boolean {
  if (depth > ctx.maxDepth) {
    push(ctx, 'condition_too_deep', at, `conditions nested deeper than ${ctx.maxDepth} levels`);
    return false;
  }
  if (seen.has(node)) return true;
  seen.add(node);
  if ('all' in node) return node.all.every((c, i) => walk(ctx, c, [...at, 'all', i], depth + 1, refs, seen));
  if ('any' in node) return node.any.every((c, i) => walk(ctx, c, [...at, 'any', i], depth + 1, refs, seen));
  if ('not' in node) return walk(ctx, node.not, [...at, 'not'], depth + 1, refs, seen);
  if ('condition' in node) {
    refs.push({ name: node.condition, path: at, depth });
    return true;
  }
  checkLeaf(ctx, node, at);
  return true;
}

interface Measure {
  /** Depth of the expanded tree, the root being 1. */
  readonly depth: number;
  /** Nodes of the expanded tree, saturated at `cap` (sizes can grow exponentially). */
  readonly size: number;
}

interface Measurer {
  /** Shared conditions measured so far, by name: filled in dependency order before any use. */
  readonly byName: Map<string, Measure>;
  /** Node objects measured so far. */
  readonly byObject: WeakMap<object, Measure>;
  readonly cap: number;
}

/**
 * Depth and size after inlining shared conditions. Recursion stays within one condition's own
 * tree (its nesting is bounded by the structural check); a reference reads the measure of its
 * target, measured earlier in dependency order, so a chain of thousands of shared conditions
 * never deepens the stack.
 */
function measure(node: Condition, m: Measurer): Measure {
  // A malformed node (a hole in a sparse array, a number…) is reported by the structural check;
  // measuring it as empty keeps this walk from throwing on what a JS caller can build.
  if (typeof node !== 'object' || node === null) return { depth: 0, size: 0 };
  if ('condition' in node) return m.byName.get(node.condition) ?? { depth: 0, size: 0 };
  const known = m.byObject.get(node);
  if (known !== undefined) return known;
  const listed: unknown = 'all' in node ? node.all : 'any' in node ? node.any : 'not' in node ? [node.not] : [];
  const children = Array.isArray(listed) ? (listed as Condition[]) : [];
  let depth = 0;
  let size = 1;
  for (const c of children) {
    const cm = measure(c, m);
    if (cm.depth > depth) depth = cm.depth;
    size = Math.min(size + cm.size, m.cap);
  }
  const result = { depth: depth + 1, size };
  m.byObject.set(node, result);
  return result;
}

/**
 * Shared conditions in dependency order (each after every condition it references), found
 * without recursion; reports each cycle where it closes. Returns undefined when there is a cycle.
 */
function dependencyOrder(ctx: Context, sharedRefs: ReadonlyMap<string, readonly Reference[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  let acyclic = true;
  for (const start of sharedRefs.keys()) {
    if (state.has(start)) continue;
    // An explicit stack of (name, next reference to follow); the trail of a cycle is the stack itself.
    const stack: { readonly name: string; next: number }[] = [{ name: start, next: 0 }];
    state.set(start, 'visiting');
    for (let top = stack[0]; top !== undefined; top = stack[stack.length - 1]) {
      const ref = (sharedRefs.get(top.name) ?? [])[top.next];
      if (ref === undefined) {
        state.set(top.name, 'done');
        order.push(top.name);
        stack.pop();
        continue;
      }
      top.next++;
      const s = state.get(ref.name);
      if (s === 'visiting') {
        acyclic = false;
        const names = stack.map((e) => e.name);
        const cycle = [...names.slice(names.indexOf(ref.name)), ref.name];
        push(ctx, 'condition_cycle', [...ref.path, 'condition'], `shared conditions refer to each other in a cycle: ${cycle.join(' → ')}`);
      } else if (s === undefined && sharedRefs.has(ref.name)) {
        state.set(ref.name, 'visiting');
        stack.push({ name: ref.name, next: 0 });
      }
    }
  }
  return acyclic ? order : undefined;
}

/**
 * Checks a program's conditions at definition time and returns every issue, each with its full
 * path in the config (empty when all is well):
 *
 * - `invalid_condition` — not json-rules-engine's condition structure (see `conditionStructureIssues`);
 * - `unknown_operator` — an operator or decorator that does not exist;
 * - `invalid_custom_operator` — a custom operator that is not a function or whose name is not an
 *   identifier or shadows a built-in or a decorator;
 * - `unknown_fact` / `forbidden_fact` — a fact (also in a fact reference) not in the catalogue,
 *   or a name like `constructor` that would read the facts object's prototype;
 * - `in_value_not_array` — `in` / `notIn` against a value (or a fact of known type) that is not an array;
 * - `value_not_array` — `someValue:` / `everyValue:` against a non-array value;
 * - `missing_condition` / `condition_cycle` — a shared condition reference that does not exist, or
 *   shared conditions that refer to each other in a cycle;
 * - `condition_too_deep` / `condition_too_large` — nesting deeper than `maxDepth` or more than
 *   `maxNodes` nodes in all, both counted after shared conditions are inlined;
 * - `invalid_path` / `forbidden_path` / `path_not_applicable` — a path that is not made of names,
 *   indexes and `[*]` (`$.a.b`, `$.items[0].sku`, `$.items[*].sku`), that names `__proto__` / `constructor` / `prototype`, or that is set on a scalar
 *   fact (json-rules-engine would silently ignore it);
 * - `params_not_supported` — `params` on a fact that does not take them (see `FactSpec.params`).
 *
 * @param set - the conditions, shared conditions, catalogue and custom operators
 * @param options - `limits` (default depth 16, nodes 512)
 * @returns the issues, empty when valid
 * @example
 * ```ts
 * const issues = validateConditions({
 *   conditions: [{ path: ['rules', 0, 'when'], condition: { all: [{ fact: 'order.total', operator: 'equal', value: 1 }] } }],
 *   facts: { 'order.subtotal': { type: 'decimal', description: 'subtotal' } },
 * });
 * // [{ code: 'unknown_fact', path: ['rules', 0, 'when', 'all', 0, 'fact'], message: 'unknown fact "order.total" (did you mean "order.subtotal"?)' }]
 * ```
 */
export function validateConditions(set: ConditionSet, options?: { readonly limits?: ConditionLimits | undefined }): Issue[] {
  const shared = set.shared ?? {};
  const sharedPath = set.sharedPath ?? ['shared'];
  const maxDepth = Math.min(options?.limits?.maxDepth ?? DEFAULT_CONDITION_LIMITS.maxDepth, MAX_STRUCTURAL_DEPTH);
  const maxNodes = options?.limits?.maxNodes ?? DEFAULT_CONDITION_LIMITS.maxNodes;
  const out: Issue[] = [];
  const ctx: Context = { facts: set.facts, operators: set.operators, shared, maxDepth, out };

  const operatorsPath = set.operatorsPath ?? ['operators'];
  for (const name of Object.keys(set.operators ?? {})) {
    const fn: unknown = set.operators?.[name];
    if (!isCustomOperatorName(name)) {
      push(ctx, 'invalid_custom_operator', [...operatorsPath, name], `custom operator name "${name}" must be an identifier and not a built-in operator or decorator`);
    } else if (typeof fn !== 'function') {
      push(ctx, 'invalid_custom_operator', [...operatorsPath, name], `custom operator "${name}" must be a function`);
    }
  }

  // Each shared condition has at least one node; more of them than the node limit is refused
  // before any walk, which keeps every recursion below bounded.
  const sharedCount = Object.keys(shared).length;
  if (sharedCount > maxNodes) {
    push(ctx, 'condition_too_large', sharedPath, `${sharedCount} shared conditions, more than the ${maxNodes} nodes a program may have`);
    return out;
  }

  // Structure, then each condition's own nodes.
  const sharedRefs = new Map<string, Reference[]>();
  const sharedOk = new Map<string, boolean>();
  for (const name of Object.keys(shared)) {
    const at = [...sharedPath, name];
    const structure = conditionStructureIssues(shared[name], at, { topLevel: true });
    if (structure.length > 0) {
      out.push(...structure);
      sharedOk.set(name, false);
      continue;
    }
    const refs: Reference[] = [];
    const node = shared[name];
    sharedOk.set(name, node !== undefined && walk(ctx, node, at, 1, refs, new WeakSet()));
    sharedRefs.set(name, refs);
  }
  const roots: { readonly path: ConfigPath; readonly condition: TopLevelCondition; readonly refs: Reference[] }[] = [];
  for (const { path, condition } of set.conditions) {
    if (condition === undefined) continue;
    const structure = conditionStructureIssues(condition, path, { topLevel: true });
    if (structure.length > 0) {
      out.push(...structure);
      continue;
    }
    const refs: Reference[] = [];
    if (walk(ctx, condition, path, 1, refs, new WeakSet())) roots.push({ path, condition, refs });
  }

  // References: missing targets, then cycles among shared conditions.
  let graphOk = true;
  const checkRefs = (refs: readonly Reference[]): void => {
    for (const ref of refs) {
      if (!Object.hasOwn(shared, ref.name)) {
        graphOk = false;
        push(ctx, 'missing_condition', [...ref.path, 'condition'], `no shared condition "${ref.name}"${suggestion(ref.name, Object.keys(shared))}`);
      } else if (sharedOk.get(ref.name) !== true) graphOk = false;
    }
  };
  for (const refs of sharedRefs.values()) checkRefs(refs);
  for (const root of roots) checkRefs(root.refs);

  const order = dependencyOrder(ctx, sharedRefs);
  if (!graphOk || order === undefined) return out;

  // Depth and size after inlining, shared conditions first (dependencies before dependents).
  const m: Measurer = { byName: new Map(), byObject: new WeakMap(), cap: maxNodes + 1 };
  const checkDepth = (node: Condition, refs: readonly Reference[], path: ConfigPath): void => {
    for (const ref of refs) {
      const target = m.byName.get(ref.name);
      // A target too deep on its own is reported there: report only where depth is first exceeded.
      if (target === undefined || target.depth > maxDepth) continue;
      const depth = ref.depth - 1 + target.depth;
      if (depth > maxDepth) {
        push(ctx, 'condition_too_deep', ref.path, `through shared condition "${ref.name}" this condition nests ${depth} levels (at most ${maxDepth})`);
        return;
      }
    }
    const own = measure(node, m);
    if (own.depth > maxDepth && refs.every((ref) => (m.byName.get(ref.name)?.depth ?? 0) <= maxDepth)) {
      // Only a sub-object shared within the condition, met deeper than where it was walked, gets here.
      push(ctx, 'condition_too_deep', path, `this condition nests ${own.depth} levels (at most ${maxDepth})`);
    }
  };
  for (const name of order) {
    const node = shared[name];
    if (node === undefined) continue;
    checkDepth(node, sharedRefs.get(name) ?? [], [...sharedPath, name]);
    m.byName.set(name, measure(node, m));
  }
  let total = 0;
  for (const root of roots) {
    checkDepth(root.condition, root.refs, root.path);
    total = Math.min(total + measure(root.condition, m).size, m.cap);
    if (total > maxNodes) {
      push(ctx, 'condition_too_large', root.path, `the program's conditions reach more than ${maxNodes} nodes here, shared conditions inlined`);
      break;
    }
  }
  return out;
}
