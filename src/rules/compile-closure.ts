/*
 * Closure evaluator: nested closures built from the IR, for runtimes that forbid code generation
 * (CSP, some edge workers). Same plans, same results as the generated code.
 * Internal: not re-exported by index.ts.
 */
import { Decimal } from '../money/decimal';
import { compareDecimals } from '../money/minor';
import { callFact, inOrder, undefinedFact } from './ir';
import type { FactRead, LeafIr, NodeIr } from './ir';
import { readPath } from './path';
import type { Evaluator } from './compile-codegen';
import type { Facts } from './types';

type Pred = (f: Facts) => boolean;
type Get = (f: Facts) => unknown;

const always: Pred = () => true;

const { hasOwnProperty } = Object.prototype;

/**
 * Reads a fact and its path. Strict (allowUndefinedFacts off): a fact missing from the facts
 * object throws undefined_fact when it is read, never before, as json-rules-engine does.
 */
function reader(read: FactRead, strict: boolean): Get {
  const name = read.fact;
  const keys = read.keys;
  const params = read.params;
  let get: Get = strict
    ? (f) => {
        const v = f[name];
        if (v === undefined && !hasOwnProperty.call(f, name)) undefinedFact(name);
        return v;
      }
    : (f) => f[name];
  if (params !== undefined) {
    const raw = get;
    get = (f) => callFact(raw(f), params);
  }
  if (keys === undefined) return get;
  const base = get;
  return (f) => readPath(base(f), keys);
}

function leafPredicate(leaf: LeafIr, strict: boolean): Pred {
  const get = reader(leaf.read, strict);
  const g = leaf.evaluate;
  const plan = leaf.plan;
  switch (plan.kind) {
    case 'generic': {
      if (leaf.value.kind === 'fact') {
        const getB = reader(leaf.value.read, strict);
        return (f) => g(get(f), getB(f));
      }
      const k = leaf.value.value;
      return (f) => g(get(f), k);
    }
    case 'strict': {
      const k = plan.k;
      return plan.negate ? (f) => get(f) !== k : (f) => get(f) === k;
    }
    case 'number': {
      const k = plan.k;
      const negate = plan.negate;
      return (f) => {
        const a = get(f);
        return typeof a === 'number' ? (a === k) !== negate : g(a, k);
      };
    }
    case 'list': {
      const list = plan.list;
      const negate = plan.negate;
      if (plan.numbers) {
        return (f) => {
          const a = get(f);
          if (typeof a === 'object' && a !== null) return g(a, list);
          return (list.indexOf(a) !== -1) !== negate;
        };
      }
      return (f) => (list.indexOf(get(f)) !== -1) !== negate;
    }
    case 'compare': {
      const { k, kd } = plan;
      switch (plan.rel) {
        case 'lt':
          return (f) => {
            const a = get(f);
            return a instanceof Decimal ? compareDecimals(a, kd) < 0 : typeof a === 'number' ? a < k : g(a, k);
          };
        case 'lte':
          return (f) => {
            const a = get(f);
            return a instanceof Decimal ? compareDecimals(a, kd) <= 0 : typeof a === 'number' ? a <= k : g(a, k);
          };
        case 'gt':
          return (f) => {
            const a = get(f);
            return a instanceof Decimal ? compareDecimals(a, kd) > 0 : typeof a === 'number' ? a > k : g(a, k);
          };
        case 'gte':
          return (f) => {
            const a = get(f);
            return a instanceof Decimal ? compareDecimals(a, kd) >= 0 : typeof a === 'number' ? a >= k : g(a, k);
          };
        default: {
          const never: never = plan.rel;
          throw new Error(`unreachable ${String(never)}`);
        }
      }
    }
    case 'contains': {
      const k = plan.k;
      const negate = plan.negate;
      return (f) => {
        const a = get(f);
        return Array.isArray(a) && (a.indexOf(k) !== -1) !== negate;
      };
    }
    default: {
      const never: never = plan;
      throw new Error(`unreachable ${String(never)}`);
    }
  }
}

function predicate(node: NodeIr, strict: boolean): Pred {
  switch (node.kind) {
    case 'all': {
      // Siblings run by priority and stop once decided, as in json-rules-engine.
      const cs = inOrder(node).map((c) => predicate(c, strict));
      const [c0, c1] = cs;
      // json-rules-engine: an empty all holds.
      if (c0 === undefined) return always;
      if (cs.length === 1) return c0;
      if (cs.length === 2 && c1 !== undefined) return (f) => c0(f) && c1(f);
      return (f) => {
        for (let i = 0; i < cs.length; i++) if (!(cs[i] as Pred)(f)) return false;
        return true;
      };
    }
    case 'any': {
      const cs = inOrder(node).map((c) => predicate(c, strict));
      const [c0, c1] = cs;
      // json-rules-engine: an empty any holds too.
      if (c0 === undefined) return always;
      if (cs.length === 1) return c0;
      if (cs.length === 2 && c1 !== undefined) return (f) => c0(f) || c1(f);
      return (f) => {
        for (let i = 0; i < cs.length; i++) if ((cs[i] as Pred)(f)) return true;
        return false;
      };
    }
    case 'not': {
      const c = predicate(node.child, strict);
      return (f) => !c(f);
    }
    case 'ref':
      return predicate(node.child, strict);
    case 'leaf':
      return leafPredicate(node, strict);
    default: {
      const never: never = node;
      throw new Error(`unreachable ${String(never)}`);
    }
  }
}

/**
 * Compiles the conditions into closures; never generates code.
 *
 * @example
 * ```ts
 * const evaluator = compileClosure(roots);
 * ```
 */
export function compileClosure(roots: readonly (NodeIr | undefined)[], options?: { readonly allowUndefinedFacts?: boolean | undefined }): Evaluator {
  const strict = options?.allowUndefinedFacts !== true;
  const tests = roots.map((root) => (root === undefined ? always : predicate(root, strict)));
  const n = tests.length;
  const evaluate = (f: Facts, out?: boolean[]): boolean[] => {
    const result = out ?? [];
    for (let i = 0; i < n; i++) result[i] = (tests[i] as Pred)(f);
    return result;
  };
  return { evaluate, tests };
}
