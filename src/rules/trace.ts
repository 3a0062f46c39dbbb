import { undefinedFact } from './ir';
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
}

/**
 * The evaluation of a condition, mirroring its tree. Every child is evaluated (no
 * short-circuit), so an explanation can show every comparison that failed.
 *
 * @example
 * ```ts
 * const t = compiled.trace(0, facts);
 * if (t.kind === 'all') console.log(t.children.map((c) => c.result));
 * ```
 */
export type ConditionTrace =
  | { readonly kind: 'all' | 'any'; readonly result: boolean; readonly children: readonly ConditionTrace[] }
  | { readonly kind: 'not'; readonly result: boolean; readonly child: ConditionTrace }
  /** A shared condition, inlined: its name and its own trace. */
  | { readonly kind: 'condition'; readonly name: string; readonly result: boolean; readonly child: ConditionTrace }
  /** No condition at all: always holds. */
  | { readonly kind: 'always'; readonly result: true }
  | ComparisonTrace;

function read(r: FactRead, facts: Facts): unknown {
  const v = facts[r.fact];
  if (v === undefined) undefinedFact(r.fact);
  return r.keys === undefined ? v : readPath(v, r.keys);
}

/**
 * Evaluates a compiled condition with a full trace. Internal: used by compileConditions.
 *
 * @example
 * ```ts
 * traceNode(buildIr(when, [0], ctx), facts).result; // true
 * ```
 */
export function traceNode(node: NodeIr, facts: Facts): ConditionTrace {
  switch (node.kind) {
    case 'all':
    case 'any': {
      const children = node.children.map((c) => traceNode(c, facts));
      const result =
        children.length === 0 || (node.kind === 'all' ? children.every((c) => c.result) : children.some((c) => c.result));
      return { kind: node.kind, result, children };
    }
    case 'not': {
      const child = traceNode(node.child, facts);
      return { kind: 'not', result: !child.result, child };
    }
    case 'ref': {
      const child = traceNode(node.child, facts);
      return { kind: 'condition', name: node.name, result: child.result, child };
    }
    case 'leaf': {
      const factValue = read(node.read, facts);
      const expected = node.value.kind === 'const' ? node.value.value : read(node.value.read, facts);
      const result = node.evaluate(factValue, expected);
      const base = { kind: 'comparison', fact: node.read.fact, operator: node.operator.name, value: node.written, factValue, expected, result } as const;
      return node.read.path === undefined ? base : { ...base, path: node.read.path };
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
      out.push(trace);
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
