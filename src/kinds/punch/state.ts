import type { Decimal } from '../../money/decimal';

/**
 * Punches of one purchase line on a card: how many, which lot of the ledger holds them, and the
 * line's net amount and quantity (a punch is worth the line's net unit price, `net / quantity`).
 *
 * @example
 * ```ts
 * const punches: CardPunches = { lot: 'ev-1:card:night', orderId: 'A-1', lineId: 'l1', count: 2, net: new Decimal('220.00'), quantity: 2, at: new Date('2027-03-10T15:00:00Z') };
 * punches.net.div(punches.quantity).toString(); // '110' — each punch is worth $110.00
 * ```
 */
export interface CardPunches {
  /** The `punch:<cardId>` lot these punches sit in (one per purchase and card). */
  readonly lot: string;
  readonly orderId: string;
  readonly lineId: string;
  /** Punches from this line still on the card. */
  readonly count: number;
  /** The line's net amount (unit price × quantity − discount). */
  readonly net: Decimal;
  /** The line's quantity. */
  readonly quantity: number;
  /** When the line was punched. */
  readonly at: Date;
}

/**
 * A punch card in progress for one customer, kept by `state` entries under the key `card:<id>`;
 * each entry says why it changed (punches, a refused punch, a completion, a refund, an expiry).
 * The punches on the card are exactly the punches the card's lots still hold in the ledger
 * (the unit `punch:<id>`): completing a card burns the oldest ones.
 *
 * @example
 * ```ts
 * const card = account.kinds['card:night'] as CardState | undefined;
 * card?.count; // punches on the current card, e.g. 8 of 10
 * card?.expiresAt; // when they are lost if the card is not completed
 * ```
 */
export interface CardState {
  readonly kind: 'card';
  readonly cardId: string;
  /** The punches on the current card, in punch order, grouped by purchase line. */
  readonly punches: readonly CardPunches[];
  /** The number of punches on the current card (the sum of `punches[].count`). */
  readonly count: number;
  /** The instant of the current card's first punch; null for an empty card. */
  readonly startedAt: Date | null;
  /** When the current card's punches expire (`expiryDays` after its first punch); null for never or an empty card. */
  readonly expiresAt: Date | null;
  /** Cards completed so far. */
  readonly completed: number;
}
