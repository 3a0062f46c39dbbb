import type { Condition } from '../schema/condition';
import type { ConfigPath } from './types';
import { push, suggestion } from './validate-issues';
import type { ConditionReferenceAt, ValidationContext } from './validate-issues';
import type { WalkedConditions } from './validate-walk';

/*
 * The checks that follow shared-condition references, once every condition's own nodes are
 * walked: missing targets, cycles, then depth and size with shared conditions inlined.
 */

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
function dependencyOrder(ctx: ValidationContext, sharedRefs: ReadonlyMap<string, readonly ConditionReferenceAt[]>): string[] | undefined {
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
 * References: missing targets, then cycles among shared conditions. Returns the shared
 * conditions in dependency order, or undefined when a reference is missing, reaches a shared
 * condition that failed its own checks, or closes a cycle (the limits are not measured then).
 */
export function checkReferences(ctx: ValidationContext, walked: WalkedConditions): string[] | undefined {
  const { shared } = ctx;
  let graphOk = true;
  const checkRefs = (refs: readonly ConditionReferenceAt[]): void => {
    for (const ref of refs) {
      if (!Object.hasOwn(shared, ref.name)) {
        graphOk = false;
        push(ctx, 'missing_condition', [...ref.path, 'condition'], `no shared condition "${ref.name}"${suggestion(ref.name, Object.keys(shared))}`);
      } else if (walked.sharedOk.get(ref.name) !== true) graphOk = false;
    }
  };
  for (const refs of walked.sharedRefs.values()) checkRefs(refs);
  for (const root of walked.roots) checkRefs(root.refs);
  const order = dependencyOrder(ctx, walked.sharedRefs);
  return graphOk ? order : undefined;
}

/** Reports where a condition first nests deeper than the limit once its references are inlined. */
function checkInlinedDepth(ctx: ValidationContext, m: Measurer, node: Condition, refs: readonly ConditionReferenceAt[], path: ConfigPath): void {
  const { maxDepth } = ctx;
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
}

/**
 * Depth and size after inlining, shared conditions first (dependencies before dependents); the
 * size counts every program condition together, and is reported once, where it first exceeds
 * `maxNodes`.
 */
export function checkInlinedLimits(ctx: ValidationContext, walked: WalkedConditions, order: readonly string[], sharedPath: ConfigPath, maxNodes: number): void {
  const { shared } = ctx;
  const m: Measurer = { byName: new Map(), byObject: new WeakMap(), cap: maxNodes + 1 };
  for (const name of order) {
    const node = shared[name];
    if (node === undefined) continue;
    checkInlinedDepth(ctx, m, node, walked.sharedRefs.get(name) ?? [], [...sharedPath, name]);
    m.byName.set(name, measure(node, m));
  }
  let total = 0;
  for (const root of walked.roots) {
    checkInlinedDepth(ctx, m, root.condition, root.refs, root.path);
    total = Math.min(total + measure(root.condition, m).size, m.cap);
    if (total > maxNodes) {
      push(ctx, 'condition_too_large', root.path, `the program's conditions reach more than ${maxNodes} nodes here, shared conditions inlined`);
      break;
    }
  }
}
