// A line's share of a lot: its own module, so the kinds' ledger records and the ledger types can
// both name it without importing each other.

import type { Decimal } from '../money/decimal';

/** One line's share of a lot earned on an order (the basis of exact refunds). */
export interface LineShare {
  readonly lineId: string;
  readonly quantity: number;
  readonly amount: Decimal;
}
