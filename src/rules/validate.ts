import type { Issue } from '../errors';
import { MAX_STRUCTURAL_DEPTH } from '../schema/condition';
import type { TopLevelCondition } from '../schema/condition';
import { isCustomOperatorName } from './operators';
import type { ConditionLimits, ConfigPath, CustomOperators, FactCatalog } from './types';
import { checkInlinedLimits, checkReferences } from './validate-graph';
import { push } from './validate-issues';
import type { ValidationContext } from './validate-issues';
import { walkConditions } from './validate-walk';

export type { ConditionIssueCode } from './validate-issues';

/*
 * Definition-time checks of a program's conditions, in four passes: custom operator names, the
 * walk of each condition's own nodes (validate-walk.ts: structure, then facts and paths in
 * validate-facts.ts, operators and operand shapes in validate-operands.ts), the references
 * between conditions, and depth and size with shared conditions inlined (validate-graph.ts).
 */

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
  const ctx: ValidationContext = { facts: set.facts, operators: set.operators, shared, maxDepth, out };

  checkCustomOperators(ctx, set.operators, set.operatorsPath ?? ['operators']);
  // Each shared condition has at least one node; more of them than the node limit is refused
  // before any walk, which keeps every recursion below bounded.
  const sharedCount = Object.keys(shared).length;
  if (sharedCount > maxNodes) {
    push(ctx, 'condition_too_large', sharedPath, `${sharedCount} shared conditions, more than the ${maxNodes} nodes a program may have`);
    return out;
  }
  const walked = walkConditions(ctx, set.conditions, sharedPath);
  const order = checkReferences(ctx, walked);
  if (order !== undefined) checkInlinedLimits(ctx, walked, order, sharedPath, maxNodes);
  return out;
}

function checkCustomOperators(ctx: ValidationContext, operators: CustomOperators | undefined, operatorsPath: ConfigPath): void {
  for (const name of Object.keys(operators ?? {})) {
    const fn: unknown = operators?.[name];
    if (!isCustomOperatorName(name)) {
      push(ctx, 'invalid_custom_operator', [...operatorsPath, name], `custom operator name "${name}" must be an identifier and not a built-in operator or decorator`);
    } else if (typeof fn !== 'function') {
      push(ctx, 'invalid_custom_operator', [...operatorsPath, name], `custom operator "${name}" must be a function`);
    }
  }
}
