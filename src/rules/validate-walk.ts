import { conditionStructureIssues, isFactReference } from '../schema/condition';
import type { Condition, LeafCondition, TopLevelCondition } from '../schema/condition';
import type { ConfigPath } from './types';
import { checkFactUse } from './validate-facts';
import type { ConditionReferenceAt, ValidationContext } from './validate-issues';
import { push } from './validate-issues';
import { checkOperator, factSide } from './validate-operands';
import type { Side } from './validate-operands';

function checkLeaf(ctx: ValidationContext, leaf: LeafCondition, at: ConfigPath): void {
  const spec = checkFactUse(ctx, leaf, at);
  let valueSide: Side;
  const value = leaf.value;
  if (isFactReference(value)) {
    const vAt = [...at, 'value'];
    const vSpec = checkFactUse(ctx, value, vAt);
    valueSide = factSide(value.fact, vSpec, value.path, vAt);
  } else valueSide = { kind: 'const', value, path: [...at, 'value'] };
  checkOperator(ctx, leaf.operator, at, factSide(leaf.fact, spec, leaf.path, [...at, 'fact']), valueSide);
}

/**
 * Walks one condition's own nodes (not following references); collects the references. `seen`
 * holds the node objects of this condition already walked: a sub-object shared within one
 * condition (JS graphs) is checked once, its depth being bounded later by `measure`.
 */
export function walk(
  ctx: ValidationContext,
  node: Condition,
  at: ConfigPath,
  depth: number,
  refs: ConditionReferenceAt[],
  seen: WeakSet<object>,
): boolean {
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

/** A program condition that walked clean, with the references it makes. */
export interface WalkedRoot {
  readonly path: ConfigPath;
  readonly condition: TopLevelCondition;
  readonly refs: ConditionReferenceAt[];
}

/** What walking every condition's own nodes found, for the reference and limit checks. */
export interface WalkedConditions {
  /** The references each structurally valid shared condition makes. */
  readonly sharedRefs: Map<string, ConditionReferenceAt[]>;
  /** Per shared condition: true when its structure and its own nodes passed. */
  readonly sharedOk: Map<string, boolean>;
  /** The program's conditions whose structure and own nodes passed. */
  readonly roots: WalkedRoot[];
}

/** Structure, then each condition's own nodes: the shared conditions first, then the program's. */
export function walkConditions(
  ctx: ValidationContext,
  conditions: readonly { readonly path: ConfigPath; readonly condition: TopLevelCondition | undefined }[],
  sharedPath: ConfigPath,
): WalkedConditions {
  const { shared, out } = ctx;
  const sharedRefs = new Map<string, ConditionReferenceAt[]>();
  const sharedOk = new Map<string, boolean>();
  for (const name of Object.keys(shared)) {
    const at = [...sharedPath, name];
    const structure = conditionStructureIssues(shared[name], at, { topLevel: true });
    if (structure.length > 0) {
      out.push(...structure);
      sharedOk.set(name, false);
      continue;
    }
    const refs: ConditionReferenceAt[] = [];
    const node = shared[name];
    sharedOk.set(name, node !== undefined && walk(ctx, node, at, 1, refs, new WeakSet()));
    sharedRefs.set(name, refs);
  }
  const roots: WalkedRoot[] = [];
  for (const { path, condition } of conditions) {
    if (condition === undefined) continue;
    const structure = conditionStructureIssues(condition, path, { topLevel: true });
    if (structure.length > 0) {
      out.push(...structure);
      continue;
    }
    const refs: ConditionReferenceAt[] = [];
    if (walk(ctx, condition, path, 1, refs, new WeakSet())) roots.push({ path, condition, refs });
  }
  return { sharedRefs, sharedOk, roots };
}
