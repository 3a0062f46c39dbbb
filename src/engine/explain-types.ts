import type { Decimal } from '../money/decimal';
import type { ConditionTrace } from '../rules/trace';

/** Why a rule did not fire before its conditions were looked at. */
export type RuleSkip = 'event_type' | 'channel' | 'campaign' | 'segment';

/** A limit that clipped an award. */
export interface LimitClip {
  /** Index of the limit in the rule's `limits`. */
  readonly limit: number;
  readonly per: string;
  /** The counter the limit reads (rule, window and key value). */
  readonly counter: string;
  readonly before: Decimal;
  readonly after: Decimal;
  readonly message: string;
}

/** What happened to one rule on one event. */
export interface RuleExplanation {
  readonly ruleId: string;
  readonly fired: boolean;
  readonly skipped?: readonly RuleSkip[];
  /** The rule's `when` condition trace: every leaf with its fact value, expected value and result. */
  readonly conditions?: ConditionTrace;
  readonly award?: {
    readonly kind: 'fixed' | 'per_amount' | 'per_item' | 'multiplier';
    /** Before rounding (points) or the factor (multiplier). */
    readonly raw: Decimal;
    /** After rounding and limits. */
    readonly points: Decimal;
    readonly clipped: readonly LimitClip[];
  };
}

/**
 * The explanation of one event: which rules fired, which conditions failed and why, which limits
 * clipped which award.
 */
export interface Explanation {
  readonly programId: string;
  readonly eventId: string;
  readonly segments: readonly string[];
  readonly rules: readonly RuleExplanation[];
  readonly points: Decimal;
}
