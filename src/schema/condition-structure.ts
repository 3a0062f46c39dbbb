import type { Issue } from '../errors';
import { CUSTOM_PROPERTY_KEYS, isPlainObject, MAX_STRUCTURAL_DEPTH } from './condition-nodes';
import { checkCommonKeys, checkLeaf, checkNonEmptyString, issue } from './condition-values';
import type { Bag, Path } from './condition-values';

/*
 * The structural check of a condition tree: each node has exactly one kind key and only the keys
 * its kind allows, and the nesting stays within MAX_STRUCTURAL_DEPTH. What a node holds besides
 * its children is checked in condition-values.ts.
 */

const KIND_KEYS = ['all', 'any', 'not', 'condition', 'fact'] as const;
type Kind = (typeof KIND_KEYS)[number];
const ALLOWED_KEYS: Readonly<Record<Kind, ReadonlySet<string>>> = {
  all: new Set(['all', 'priority', ...CUSTOM_PROPERTY_KEYS]),
  any: new Set(['any', 'priority', ...CUSTOM_PROPERTY_KEYS]),
  not: new Set(['not', 'priority', ...CUSTOM_PROPERTY_KEYS]),
  condition: new Set(['condition', 'priority', ...CUSTOM_PROPERTY_KEYS]),
  fact: new Set(['fact', 'operator', 'value', 'path', 'params', 'priority', ...CUSTOM_PROPERTY_KEYS]),
};

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
  checkCommonKeys(node, path, out, memo.values);
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
