// The tiered kind's issue codes, merged into ISSUE_CODES (src/errors.ts) by src/kinds/codes.ts.
// Plain data with no imports: errors.ts sits below every layer, so this file must too.

/** Codes of a tiered program's config, and its refusal. */
export const TIERED_CODES = {
  config: {
    duplicate_tier_id: { raised: 'thrown', meaning: 'Two tiers have the same id.' },
    tier_order: { raised: 'thrown', meaning: 'Tier thresholds are not increasing.' },
    first_tier_threshold: { raised: 'thrown', meaning: 'The first tier does not start at zero.' },
    invalid_threshold: { raised: 'thrown', meaning: 'A tier threshold is not valid for its basis.' },
  },
  refused: {
    not_in_tier: { raised: 'refused', meaning: 'The customer is not in the tier the reward or benefit needs.' },
  },
} as const;
