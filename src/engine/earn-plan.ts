// What the awards of a program need that no event changes, worked out once by `defineProgram`:
// each rule's award parameters as exact integer counts (points, per, factors), and the
// currency's minor units, so the integer award path does no decimal parsing per event.
import { minorUnits } from '../money';
import { scaledOf, type Scaled } from '../money/minor';
import type { ProgramConfig } from '../schema/program';
import { idPart, lotId } from '../ledger/ids';

/** A rule's award with its parameters as integer counts of their own last decimal. */
export type AwardPlan =
  | { readonly kind: 'fixed'; readonly points: Scaled }
  | { readonly kind: 'per_amount'; readonly points: Scaled; readonly per: Scaled; readonly whole: boolean }
  | { readonly kind: 'per_item'; readonly points: Scaled }
  | { readonly kind: 'multiplier'; readonly factor: Scaled };

/** The earn side of a compiled program. */
export interface EarnPlan {
  /** Decimals of the program's currency: order amounts are counted in these steps. */
  readonly places: number;
  /** Each rule's award plan, by config index. */
  readonly awards: readonly AwardPlan[];
  /** Whether the rule at an index has a limit (only those build counter keys). */
  readonly limited: readonly boolean[];
  /** Each rule id as it appears in a lot id (escaped once here, not per award). */
  readonly lotIdParts: readonly string[];
  /** Each rule's limit counter key prefixes, `<rule id>#<limit index>|` (built once here, not per award). */
  readonly limitKeyPrefixes: readonly (readonly string[])[];
}

/**
 * The lot id of rule `index`'s award on `eventId`, `lotId({ kind: 'rule', eventId, ruleId })`,
 * with both parts escaped once: `prefix` is {@link ruleLotPrefix} of the event.
 */
export function ruleLotId(plan: EarnPlan, prefix: string, eventId: string, index: number, ruleId: string): string {
  const part = plan.lotIdParts[index];
  return part === undefined ? lotId({ kind: 'rule', eventId, ruleId }) : `${prefix}${part}`;
}

/** The part of a rule lot's id before its rule id: `lotId` of a one-letter rule id, less that letter. */
export function ruleLotPrefix(eventId: string): string {
  return lotId({ kind: 'rule', eventId, ruleId: 'r' }).slice(0, -1);
}

function awardPlan(award: ProgramConfig['rules'][number]['award']): AwardPlan {
  switch (award.kind) {
    case 'fixed':
      return { kind: 'fixed', points: scaledOf(award.points) };
    case 'per_amount':
      return { kind: 'per_amount', points: scaledOf(award.points), per: scaledOf(award.per), whole: award.whole };
    case 'per_item':
      return { kind: 'per_item', points: scaledOf(award.points) };
    case 'multiplier':
      return { kind: 'multiplier', factor: scaledOf(award.factor) };
  }
}

/** The earn plan of a parsed config. */
export function earnPlanOf(config: ProgramConfig): EarnPlan {
  return {
    places: minorUnits(config.currency),
    awards: config.rules.map((rule) => awardPlan(rule.award)),
    limited: config.rules.map((rule) => rule.limits.length > 0),
    lotIdParts: config.rules.map((rule) => idPart(rule.id)),
    limitKeyPrefixes: config.rules.map((rule) => rule.limits.map((_, j) => `${rule.id}#${j}|`)),
  };
}
