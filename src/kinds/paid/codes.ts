// The paid kind's issue codes, merged into ISSUE_CODES (src/errors.ts) by src/kinds/codes.ts.
// Plain data with no imports: errors.ts sits below every layer, so this file must too.

/** The membership machine's refusals. */
export const PAID_CODES = {
  refused: {
    membership_exists: { raised: 'refused', meaning: 'The customer already has a membership.' },
    membership_inactive: { raised: 'refused', meaning: 'There is no active membership.' },
    no_membership: { raised: 'refused', meaning: 'A payment arrived for a customer without a membership.' },
    trial_unavailable: { raised: 'refused', meaning: 'The program has no free trial, or it was used.' },
    period_already_paid: { raised: 'refused', meaning: 'The membership is already paid for this period.' },
  },
} as const;
