import * as z from 'zod/mini';
import { conditionStructureIssues } from './condition-structure';
import type { Condition, TopLevelCondition } from './condition-nodes';

/*
 * Conditions in json-rules-engine's JSON format: the node types and guards
 * (condition-nodes.ts), the structural check (condition-structure.ts, with the value checks in
 * condition-values.ts), and here the zod schemas built on that check.
 */

export type {
  FactReference,
  CustomProperties,
  LeafCondition,
  AllCondition,
  AnyCondition,
  NotCondition,
  ConditionReference,
  TopLevelCondition,
  Condition,
} from './condition-nodes';
export { CUSTOM_PROPERTY_KEYS, MAX_STRUCTURAL_DEPTH, MAX_VALUE_DEPTH, isPlainObject, isFactReference } from './condition-nodes';
export { conditionStructureIssues } from './condition-structure';

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
