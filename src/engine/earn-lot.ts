import { Decimal } from '../money/decimal';
import type { Entry, LineShare, Lot } from '../ledger/types';

/** A lot about to be earned: `remaining` is decided by {@link earnLot}, after debt repayment. */
export type NewLot = Omit<Lot, 'remaining'>;

/**
 * The earn entry of a new lot, which repays what the customer owes in its unit first: the repaid
 * part is never spendable (`remaining = amount − repaid`). Returns the entry and the debt still
 * owed, to pass to the next lot of the same operation. The one place that writes this rule (rule
 * awards, birthday gifts, cash-back and spend rewards).
 *
 * @example
 * ```ts
 * const { entry, debt } = earnLot(lot, new Decimal(30), 'welcome'); // a lot of 100 points
 * entry.repaid.toString(); // '30'
 * entry.lot.remaining.toString(); // '70'
 * debt.toString(); // '0'
 * earnLot(lot, new Decimal(250), 'welcome').entry.lot.remaining.toString(); // '0': all of it repays, 150 still owed
 * ```
 */
export function earnLot(lot: NewLot, debt: Decimal, ruleId: string, lines?: readonly LineShare[]): { entry: Entry & { readonly kind: 'earn' }; debt: Decimal } {
  // Without debt (the usual case) nothing is repaid: no arithmetic.
  const owed = !debt.isZero();
  const repaid = owed ? Decimal.min(debt, lot.amount) : debt;
  const remaining = owed ? lot.amount.minus(repaid) : lot.amount;
  // Keys in the ledger's usual order (`remaining` after `amount`), so encoded transactions keep
  // their bytes; written out, not spread: a spread of a lot costs microseconds on Node 20.
  const earned: Lot =
    lot.orderId === undefined
      ? { id: lot.id, unit: lot.unit, amount: lot.amount, remaining, earnedAt: lot.earnedAt, availableAt: lot.availableAt, expiresAt: lot.expiresAt, account: lot.account, cause: lot.cause }
      : { id: lot.id, unit: lot.unit, amount: lot.amount, remaining, earnedAt: lot.earnedAt, availableAt: lot.availableAt, expiresAt: lot.expiresAt, account: lot.account, cause: lot.cause, orderId: lot.orderId };
  const entry = lines ? { kind: 'earn' as const, unit: lot.unit, lot: earned, repaid, ruleId, lines } : { kind: 'earn' as const, unit: lot.unit, lot: earned, repaid, ruleId };
  return { entry, debt: owed ? debt.minus(repaid) : debt };
}
