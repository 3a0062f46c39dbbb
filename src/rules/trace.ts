import { LoyaltyError } from '../errors';
import { callFact, undefinedFact } from './ir';
import type { FactRead, NodeIr } from './ir';
import { readPath } from './path';
import type { Facts } from './types';

/**
 * A comparison's evaluation: the fact value read (through its path), the value it was compared
 * with (the constant, or the referenced fact's value) and the result.
 *
 * @example
 * ```ts
 * const leaf: ComparisonTrace = {
 *   kind: 'comparison', fact: 'order.subtotal', operator: 'greaterThanInclusive',
 *   value: 50, factValue: new Decimal('42.50'), expected: 50, result: false,
 * };
 * ```
 */
export interface ComparisonTrace {
  readonly kind: 'comparison';
  readonly fact: string;
  readonly path?: string;
  readonly operator: string;
  /** The condition's value as written: a constant or a fact reference. */
  readonly value: unknown;
  /** The fact's value, through the path when there is one. */
  readonly factValue: unknown;
  /** What the fact was compared with: the constant, or the referenced fact's value. */
  readonly expected: unknown;
  readonly result: boolean;
  /** Set on a comparison that threw while traced after its result no longer mattered (see `skipped`): the error, not thrown. */
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * Present (`true`) on a node whose result did not count: an earlier sibling (in evaluation
 * order: highest `priority` first) had already decided its `all` / `any`. Evaluation stops there
 * (as json-rules-engine's does between priority sets); the trace still evaluates the node for
 * information, recording errors on the comparison instead of throwing them.
 */
interface Skippable {
  readonly skipped?: true;
  /** The node's custom properties as written (`id`, `customId`, `name`, `description`), when it has some. */
  readonly properties?: Readonly<Record<string, unknown>>;
}

/**
 * The evaluation of a condition, mirroring its tree (children in written order). Its results are
 * exactly those of `evaluate`: siblings run by priority and stop once decided. The children that
 * did not count are still traced, marked `skipped`, so an explanation can show every comparison
 * that failed.
 *
 * @example
 * ```ts
 * const t = compiled.trace(0, facts);
 * if (t.kind === 'all') console.log(t.children.map((c) => c.result));
 * ```
 */
export type ConditionTrace = Skippable &
  (
    | { readonly kind: 'all' | 'any'; readonly result: boolean; readonly children: readonly ConditionTrace[] }
    | { readonly kind: 'not'; readonly result: boolean; readonly child: ConditionTrace }
    /** A shared condition, inlined: its name and its own trace. */
    | { readonly kind: 'condition'; readonly name: string; readonly result: boolean; readonly child: ConditionTrace }
    /** No condition at all: always holds. */
    | { readonly kind: 'always'; readonly result: true }
    | ComparisonTrace
  );

const { hasOwnProperty } = Object.prototype;

function read(r: FactRead, facts: Facts, strict: boolean): unknown {
  const v = facts[r.fact];
  if (v === undefined && strict && !hasOwnProperty.call(facts, r.fact)) undefinedFact(r.fact);
  const value = r.params === undefined ? v : callFact(v, r.params);
  return r.keys === undefined ? value : readPath(value, r.keys);
}

/**
 * Evaluates a compiled condition with a full trace. Internal: used by compileConditions.
 *
 * @example
 * ```ts
 * traceNode(buildIr(when, [0], ctx), facts).result; // true
 * ```
 */
export function traceNode(node: NodeIr, facts: Facts, options?: { readonly allowUndefinedFacts?: boolean | undefined }): ConditionTrace {
  return trace(node, facts, options?.allowUndefinedFacts !== true, false);
}

/** `informational`: the result no longer counts, so errors are recorded instead of thrown. */
function trace(node: NodeIr, facts: Facts, strict: boolean, informational: boolean): ConditionTrace {
  const t = traceOwn(node, facts, strict, informational);
  return node.properties === undefined ? t : { ...t, properties: node.properties };
}

function traceOwn(node: NodeIr, facts: Facts, strict: boolean, informational: boolean): ConditionTrace {
  switch (node.kind) {
    case 'all':
    case 'any': {
      // The result that decides: a false child decides an all, a true one an any.
      const deciding = node.kind === 'any';
      const traced: ConditionTrace[] = [];
      let decided = false;
      const order = node.order ?? node.children.map((_, i) => i);
      for (const i of order) {
        const child = node.children[i] as NodeIr;
        if (decided) {
          traced[i] = { ...trace(child, facts, strict, true), skipped: true };
          continue;
        }
        const t = trace(child, facts, strict, informational);
        traced[i] = t;
        if (t.result === deciding) decided = true;
      }
      // An empty all and an empty any both hold (json-rules-engine).
      const result = node.children.length === 0 || (node.kind === 'all' ? !decided : decided);
      return { kind: node.kind, result, children: traced };
    }
    case 'not': {
      const child = trace(node.child, facts, strict, informational);
      return { kind: 'not', result: !child.result, child };
    }
    case 'ref': {
      const child = trace(node.child, facts, strict, informational);
      return { kind: 'condition', name: node.name, result: child.result, child };
    }
    case 'leaf': {
      const base = { kind: 'comparison', fact: node.read.fact, operator: node.operator.name, value: node.written } as const;
      const at = node.read.path === undefined ? {} : { path: node.read.path };
      let factValue: unknown;
      let expected: unknown;
      try {
        factValue = read(node.read, facts, strict);
        expected = node.value.kind === 'const' ? node.value.value : read(node.value.read, facts, strict);
        return { ...base, ...at, factValue, expected, result: node.evaluate(factValue, expected) };
      } catch (e) {
        if (!informational || !(e instanceof LoyaltyError)) throw e;
        return { ...base, ...at, factValue, expected, result: false, error: { code: e.code, message: e.message } };
      }
    }
    default: {
      const never: never = node;
      throw new Error(`unreachable ${String(never)}`);
    }
  }
}

function collect(trace: ConditionTrace, failing: boolean, out: ComparisonTrace[]): void {
  // `failing` is the result that counts against the root here: false, or true under an odd number of nots.
  if (trace.result !== failing) return;
  switch (trace.kind) {
    case 'comparison':
      // A comparison that threw after its result stopped mattering did not fail: it was not needed.
      if (trace.error === undefined) out.push(trace);
      return;
    case 'all':
    case 'any':
      for (const c of trace.children) collect(c, failing, out);
      return;
    case 'not':
      collect(trace.child, !failing, out);
      return;
    case 'condition':
      collect(trace.child, failing, out);
      return;
    case 'always':
      return;
    default: {
      const never: never = trace;
      throw new Error(`unreachable ${String(never)}`);
    }
  }
}

/**
 * The comparisons that made a condition fail: every comparison whose result went against the
 * root. Under a `not`, those are comparisons that held. Empty when the condition holds.
 *
 * @param trace - from `CompiledConditions.trace`
 * @returns the deciding comparisons, in tree order
 * @example
 * ```ts
 * for (const leaf of failedLeaves(compiled.trace(0, facts))) {
 *   console.log(`${leaf.fact} ${leaf.operator} ${String(leaf.expected)}: got ${String(leaf.factValue)}`);
 * }
 * ```
 */
export function failedLeaves(trace: ConditionTrace): ComparisonTrace[] {
  const out: ComparisonTrace[] = [];
  collect(trace, false, out);
  return out;
}
