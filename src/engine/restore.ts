// Giving back what a redemption drew: shared by cancellation, reversal and refunds (points and a
// spend program's credit alike). Below `redeem.ts` and the kinds, so both can use it.
import { Decimal, ZERO } from '../money/decimal';
import { markOf } from '../ledger/lot-index';
import type { AccountState, Entry, LotDraw, Transaction } from '../ledger/types';
import { giveBack, sliceDraws } from './lots';


/**
 * The draws of a redemption transaction (its redeem and capture entries), in order.
 *
 * @example
 * ```ts
 * redemptionDraws(redeemTx).map((d) => d.lot); // ['p1:base', 'p2:base']
 * ```
 */
export function redemptionDraws(tx: Transaction): LotDraw[] {
  return tx.entries.flatMap((e) => (e.kind === 'redeem' || e.kind === 'capture' ? e.draws : []));
}

/**
 * Points of a transaction's draws already given back (by a cancellation, a reversal or refunds).
 *
 * @example
 * ```ts
 * restoredFrom(account, 'redeem:r1').toString(); // '0' before any give-back
 * ```
 */
export function restoredFrom(account: AccountState, txId: string): Decimal {
  const mark = markOf(account, `restored:${txId}`);
  return mark === undefined ? ZERO : new Decimal(mark);
}

/**
 * The restore entry that gives back `amount` of a redemption, after `skip` already given back
 * (null when nothing is left to give).
 *
 * @example
 * ```ts
 * restoreEntry(account, redeemTx, new Decimal(0), new Decimal(50), at)?.kind; // 'restore'
 * ```
 */
export function restoreEntry(account: AccountState, redemption: Transaction, skip: Decimal, amount: Decimal, at: Date): Entry | null {
  const slice = sliceDraws(redemptionDraws(redemption), skip, amount);
  if (slice.length === 0) return null;
  const { draws, expired } = giveBack(account, slice, at);
  return { kind: 'restore', unit: slice[0]?.terms.unit ?? 'points', source: 'redeemed', of: redemption.id, draws, expired };
}
