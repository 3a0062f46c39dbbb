import type { Decimal } from '../../money/decimal';

/**
 * A punch card in progress for one customer, kept by `state` entries under the key `card:<id>`.
 * (Owned by the punch kind; fields grow with it.)
 */
export interface CardState {
  readonly kind: 'card';
  readonly cardId: string;
  /** The prices of the punched items on the current card, in punch order. */
  readonly punches: readonly Decimal[];
  /** Cards completed so far. */
  readonly completed: number;
}
