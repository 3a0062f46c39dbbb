// The spend kind's issue codes, merged into ISSUE_CODES (src/errors.ts) by src/kinds/codes.ts.
// Plain data with no imports: errors.ts sits below every layer, so this file must too.

/** Codes of a spend program's config (thrown as ProgramConfigError by defineProgram). */
export const SPEND_CODES = {
  config: {
    spend_shape: { raised: 'thrown', meaning: 'A spend program has neither credit nor progress.' },
    spend_rate: { raised: 'thrown', meaning: 'Store credit is not one point per unit of the currency.' },
  },
} as const;
