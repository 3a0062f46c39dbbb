import type { Issue } from '../errors';
import { closestName } from '../schema/issues';
import type { TopLevelCondition } from '../schema/condition';
import type { ConfigPath, CustomOperators, FactCatalog } from './types';

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

/** What every check of one `validateConditions` call reads, and where it reports. */
export interface ValidationContext {
  readonly facts: FactCatalog;
  readonly operators: CustomOperators | undefined;
  readonly shared: Readonly<Record<string, TopLevelCondition>>;
  readonly maxDepth: number;
  readonly out: Issue[];
}

/** A `{ condition: name }` node met by the walk: followed later, once every condition is walked. */
export interface ConditionReferenceAt {
  readonly name: string;
  readonly path: ConfigPath;
  readonly depth: number;
}

/** Reports one issue; checks go on after it, so one call reports every issue it finds. */
export function push(ctx: ValidationContext, code: ConditionIssueCode, path: ConfigPath, message: string): void {
  ctx.out.push({ code, path, message });
}

/** ` (did you mean "x"?)` when a candidate is close to `name`, else nothing. */
export function suggestion(name: string, candidates: Iterable<string>): string {
  const best = closestName(name, candidates);
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}
