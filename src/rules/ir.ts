/*
 * The compiled form of a condition, shared by the code generator, the closure compiler and the
 * tracer: shared conditions resolved, operators resolved, paths split, and for each comparison a
 * "plan" naming the specialised form it can take without changing its result.
 * Internal: not re-exported by index.ts.
 */
import { LoyaltyError } from '../errors';
import { Decimal } from '../money/decimal';
import { CUSTOM_PROPERTY_KEYS, isFactReference } from '../schema/condition';
import type { Condition, TopLevelCondition } from '../schema/condition';
import { resolveOperator } from './operators';
import type { OperatorFn, ResolvedOperator } from './operators';
import { pathKeys } from './path';
import type { ConfigPath, CustomOperators, FactCatalog, FactType } from './types';

/**
 * One read of a fact, optionally through a path.
 *
 * @example
 * ```ts
 * const read: FactRead = { fact: 'customer.attributes', path: '$.rfm', keys: ['rfm'], id: '["customer.attributes","$.rfm"]' };
 * ```
 */
export interface FactRead {
  readonly fact: string;
  readonly path: string | undefined;
  readonly keys: readonly string[] | undefined;
  /** Set when the fact takes params (`FactSpec.params`): its value is called with these (`{}` when none are written). */
  readonly params: Readonly<Record<string, unknown>> | undefined;
  /** Identity of the read, to read each (fact, path) once per evaluation: JSON of [fact] or [fact, path], so no fact name can collide with a path read. */
  readonly id: string;
}

/**
 * The right-hand side of a comparison: a constant or another fact's value.
 *
 * @example
 * ```ts
 * const v: ValueIr = { kind: 'const', value: ['gold', 'platinum'] };
 * ```
 */
export type ValueIr = { readonly kind: 'const'; readonly value: unknown } | { readonly kind: 'fact'; readonly read: FactRead };

/**
 * A relational operator, short.
 *
 * @example
 * ```ts
 * const r: Relation = 'gte'; // greaterThanInclusive
 * ```
 */
export type Relation = 'lt' | 'lte' | 'gt' | 'gte';

/**
 * A specialised form of a comparison with the same result as the generic operator.
 *
 * @example
 * ```ts
 * const plan: Plan = { kind: 'strict', negate: false, k: 'purchase' }; // event.type equal 'purchase'
 * ```
 */
export type Plan =
  /** equal / notEqual with a string, boolean or null constant: `===` is exact for any fact value. */
  | { readonly kind: 'strict'; readonly negate: boolean; readonly k: unknown }
  /** equal / notEqual with a number constant: `===` when the fact is a number, generic otherwise. */
  | { readonly kind: 'number'; readonly negate: boolean; readonly k: number }
  /** in / notIn with a constant list of primitives. With a number in the list, object facts (Decimal, Date) go generic. */
  | { readonly kind: 'list'; readonly negate: boolean; readonly list: readonly unknown[]; readonly numbers: boolean }
  /** A relational operator with a number constant: native for numbers, exact `cmp` for our Decimals. */
  | { readonly kind: 'compare'; readonly rel: Relation; readonly k: number; readonly kd: Decimal; readonly decimalFirst: boolean }
  /** contains / doesNotContain with a string, boolean or null constant. */
  | { readonly kind: 'contains'; readonly negate: boolean; readonly k: unknown }
  | { readonly kind: 'generic' };

/**
 * A compiled comparison.
 *
 * @example
 * ```ts
 * const leaf = buildIr({ all: [{ fact: 'event.type', operator: 'equal', value: 'purchase' }] }, [0], ctx);
 * ```
 */
export interface LeafIr {
  readonly kind: 'leaf';
  readonly read: FactRead;
  readonly factType: FactType;
  readonly operator: ResolvedOperator;
  readonly value: ValueIr;
  /** The value as written in the config (a constant or a fact reference). */
  readonly written: unknown;
  /** The operator, its errors carrying this comparison's config path. */
  readonly evaluate: OperatorFn;
  readonly plan: Plan;
  readonly properties: Properties;
}

/**
 * A compiled condition node; shared condition references keep their name for traces.
 *
 * @example
 * ```ts
 * const node: NodeIr = { kind: 'all', children: [], order: undefined, properties: undefined }; // always true, as in jre
 * ```
 */
export type NodeIr =
  /** `order`: the children's indexes in evaluation order (json-rules-engine's: highest priority first, stable), undefined when that is the written order. */
  | { readonly kind: 'all' | 'any'; readonly children: readonly NodeIr[]; readonly order: readonly number[] | undefined; readonly properties: Properties }
  | { readonly kind: 'not'; readonly child: NodeIr; readonly properties: Properties }
  | { readonly kind: 'ref'; readonly name: string; readonly child: NodeIr; readonly properties: Properties }
  | LeafIr;

/**
 * A node's custom properties (`id`, `customId`, `name`, `description`), for the trace; undefined when it has none.
 *
 * @example
 * ```ts
 * const p: Properties = { customId: 'uuid' };
 * ```
 */
export type Properties = Readonly<Record<string, unknown>> | undefined;

function propertiesOf(node: Condition): Properties {
  let out: Record<string, unknown> | undefined;
  for (const key of CUSTOM_PROPERTY_KEYS) {
    if (Object.hasOwn(node, key)) (out ??= {})[key] = (node as unknown as Readonly<Record<string, unknown>>)[key];
  }
  return out;
}

/**
 * What {@link buildIr} resolves names against.
 *
 * @example
 * ```ts
 * const ctx: IrContext = { facts: catalog, operators: undefined, shared: {}, sharedPath: ['shared'], memo: new Map() };
 * ```
 */
export interface IrContext {
  readonly facts: FactCatalog;
  readonly operators: CustomOperators | undefined;
  readonly shared: Readonly<Record<string, TopLevelCondition>>;
  readonly sharedPath: ConfigPath;
  /** Shared conditions already built, by name. */
  readonly memo: Map<string, NodeIr>;
}

const GENERIC: Plan = { kind: 'generic' };

function isListPrimitive(x: unknown): boolean {
  return typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' || x === null;
}

const RELATIONS: Readonly<Record<string, Relation>> = {
  lessThan: 'lt',
  lessThanInclusive: 'lte',
  greaterThan: 'gt',
  greaterThanInclusive: 'gte',
};

function planFor(op: ResolvedOperator, value: ValueIr, factType: FactType, read: FactRead): Plan {
  // A fact with params is a call: the generic form uses its value once.
  if (op.decorators.length > 0 || op.custom || value.kind !== 'const' || read.params !== undefined) return GENERIC;
  const k = value.value;
  switch (op.base) {
    case 'equal':
    case 'notEqual': {
      const negate = op.base === 'notEqual';
      if (typeof k === 'string' || typeof k === 'boolean' || k === null) return { kind: 'strict', negate, k };
      if (typeof k === 'number') return { kind: 'number', negate, k };
      return GENERIC;
    }
    case 'in':
    case 'notIn':
      if (!Array.isArray(k) || !k.every(isListPrimitive)) return GENERIC;
      return { kind: 'list', negate: op.base === 'notIn', list: k, numbers: k.some((x: unknown) => typeof x === 'number') };
    case 'contains':
    case 'doesNotContain':
      if (typeof k === 'string' || typeof k === 'boolean' || k === null) return { kind: 'contains', negate: op.base === 'doesNotContain', k };
      return GENERIC;
    default: {
      const rel = Object.hasOwn(RELATIONS, op.base) ? RELATIONS[op.base] : undefined;
      if (rel === undefined || typeof k !== 'number' || !Number.isFinite(k)) return GENERIC;
      return { kind: 'compare', rel, k, kd: new Decimal(String(k)), decimalFirst: factType === 'decimal' };
    }
  }
}

const NO_PARAMS: Readonly<Record<string, unknown>> = Object.freeze({});

function factRead(fact: string, path: string | undefined, params: Readonly<Record<string, unknown>> | undefined, facts: FactCatalog): FactRead {
  const takesParams = Object.hasOwn(facts, fact) && facts[fact]?.params === true;
  const p = takesParams ? (params ?? NO_PARAMS) : undefined;
  const id = JSON.stringify(p !== undefined ? [fact, path ?? null, p] : path === undefined ? [fact] : [fact, path]);
  return { fact, path, keys: path === undefined ? undefined : pathKeys(path), params: p, id };
}

/**
 * The value of a fact that takes params: its function called with them (json-rules-engine's
 * dynamic fact); a value that is not a function is taken as it is.
 *
 * @example
 * ```ts
 * callFact((p: { n: number }) => p.n * 2, { n: 2 }); // 4
 * ```
 */
export function callFact(value: unknown, params: Readonly<Record<string, unknown>>): unknown {
  return typeof value === 'function' ? (value as (p: Readonly<Record<string, unknown>>) => unknown)(params) : value;
}

/** json-rules-engine's priority of a sibling: its own `priority`, else 1 (library facts have no priority). */
function priorityOf(node: Condition): number {
  const p = node.priority;
  return typeof p === 'number' && p >= 1 ? p : 1;
}

/** Evaluation order of siblings: descending priority, ties in written order; undefined when unchanged. */
function evaluationOrder(children: readonly Condition[]): readonly number[] | undefined {
  if (children.every((c) => priorityOf(c) === priorityOf(children[0] as Condition))) return undefined;
  return children.map((c, i) => ({ p: priorityOf(c), i })).sort((x, y) => y.p - x.p || x.i - y.i).map((x) => x.i);
}

function withPath(fn: OperatorFn, at: ConfigPath): OperatorFn {
  return (a, b) => {
    try {
      return fn(a, b);
    } catch (e) {
      if (e instanceof LoyaltyError && (e.code === 'invalid_operand' || e.code === 'invalid_operator_result')) {
        const [first, ...rest] = e.issues;
        throw new LoyaltyError([{ ...first, path: at }, ...rest.map((i) => ({ ...i, path: at }))]);
      }
      throw e;
    }
  };
}

/**
 * Builds the IR of a condition that `validateConditions` accepted (it throws on what validation
 * refuses). Shared conditions are built once and reused.
 *
 * @example
 * ```ts
 * const ir = buildIr({ any: [{ condition: 'isPurchase' }] }, ['rules', 0, 'when'], ctx);
 * ```
 */
export function buildIr(node: Condition, at: ConfigPath, ctx: IrContext): NodeIr {
  const properties = propertiesOf(node);
  if ('all' in node) return { kind: 'all', children: node.all.map((c, i) => buildIr(c, [...at, 'all', i], ctx)), order: evaluationOrder(node.all), properties };
  if ('any' in node) return { kind: 'any', children: node.any.map((c, i) => buildIr(c, [...at, 'any', i], ctx)), order: evaluationOrder(node.any), properties };
  if ('not' in node) return { kind: 'not', child: buildIr(node.not, [...at, 'not'], ctx), properties };
  if ('condition' in node) {
    const name = node.condition;
    let child = ctx.memo.get(name);
    if (child === undefined) {
      const target = Object.hasOwn(ctx.shared, name) ? ctx.shared[name] : undefined;
      if (target === undefined) throw new Error(`shared condition ${name} vanished after validation`);
      child = buildIr(target, [...ctx.sharedPath, name], ctx);
      ctx.memo.set(name, child);
    }
    return { kind: 'ref', name, child, properties };
  }
  const operator = resolveOperator(node.operator, ctx.operators);
  if (operator === undefined) throw new Error(`operator ${node.operator} vanished after validation`);
  const written = node.value;
  const value: ValueIr = isFactReference(written)
    ? { kind: 'fact', read: factRead(written.fact, written.path, written.params, ctx.facts) }
    : { kind: 'const', value: written };
  const read = factRead(node.fact, node.path, node.params, ctx.facts);
  const spec = Object.hasOwn(ctx.facts, node.fact) ? ctx.facts[node.fact] : undefined;
  const factType: FactType = node.path === undefined ? (spec?.type ?? 'unknown') : 'unknown';
  return {
    kind: 'leaf',
    read,
    factType,
    operator,
    value,
    written,
    evaluate: operator.mayThrow ? withPath(operator.evaluate, at) : operator.evaluate,
    plan: planFor(operator, value, factType, read),
    properties,
  };
}

/**
 * Every fact read a node makes, in first-use order, each once.
 *
 * @example
 * ```ts
 * const reads = collectReads(ir, new Map()); // Map { 'event.type' => {...} }
 * ```
 */
export function collectReads(node: NodeIr, into: Map<string, FactRead>): Map<string, FactRead> {
  switch (node.kind) {
    case 'all':
    case 'any':
      for (const c of node.children) collectReads(c, into);
      return into;
    case 'not':
    case 'ref':
      return collectReads(node.child, into);
    case 'leaf':
      if (!into.has(node.read.id)) into.set(node.read.id, node.read);
      if (node.value.kind === 'fact' && !into.has(node.value.read.id)) into.set(node.value.read.id, node.value.read);
      return into;
    default: {
      const never: never = node;
      throw new Error(`unreachable ${String(never)}`);
    }
  }
}

/**
 * The children of an `all` / `any` in evaluation order.
 *
 * @example
 * ```ts
 * for (const child of inOrder(node)) visit(child);
 * ```
 */
export function inOrder(node: { readonly children: readonly NodeIr[]; readonly order: readonly number[] | undefined }): readonly NodeIr[] {
  const order = node.order;
  return order === undefined ? node.children : order.map((i) => node.children[i] as NodeIr);
}

/**
 * Throws the `undefined_fact` programming error (a facts object without a fact a rule reads).
 *
 * @example
 * ```ts
 * if (facts['order.subtotal'] === undefined) undefinedFact('order.subtotal');
 * ```
 */
export function undefinedFact(fact: string): never {
  throw new LoyaltyError([
    { code: 'undefined_fact', path: [fact], message: `fact "${fact}" is missing from the facts object (the facts builder fills every catalogued fact; allowUndefinedFacts reads a missing fact as undefined)` },
  ]);
}
