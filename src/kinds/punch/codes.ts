// The punch kind's issue codes, merged into ISSUE_CODES (src/errors.ts) by src/kinds/codes.ts.
// Plain data with no imports: errors.ts sits below every layer, so this file must too.

/** Codes of a punch program's config. */
export const PUNCH_CODES = {
  config: {
    duplicate_card: { raised: 'thrown', meaning: 'Two punch cards have the same id.' },
    card_qualifying: { raised: 'thrown', meaning: "A punch card's qualifying rule is invalid." },
  },
} as const;
