// The tiered kind's stored id shapes, plain data with no imports: src/ledger/ids.ts builds every
// id and reads these through the registry src/kinds/ids.ts, which sits below every kind's code.

/**
 * The mark of a tier's yearly birthday gift: its lot is `tier-birthday:<year>`, and the `mark`
 * entry under this key holds the last year a gift was judged.
 */
export const BIRTHDAY_MARK = 'tier-birthday';

/** The tiered kind's id shapes, for the registry: the marks of its yearly lots. */
export const tieredIds = { yearlyLotMarks: [BIRTHDAY_MARK] } as const;
