// The punch kind's stored id shapes, plain data with no imports: src/ledger/ids.ts builds every
// id and reads these through the registry src/kinds/ids.ts, which sits below every kind's code.

/**
 * The tag of the punch kind's lots of a purchase: `<eventId>:card:<cardId>` holds the punches
 * the purchase put on a card, `<eventId>:card:<cardId>:<n>` the credit the n-th completion of
 * the card paid.
 */
export const CARD_LOT_TAG = 'card';

/** The punch kind's id shapes, for the registry: the tags of its lots of an event. */
export const punchIds = { eventLotTags: [CARD_LOT_TAG] } as const;
