import type { Transaction } from './types';

/**
 * The orders a transaction touches: earned on, paid with points, refunded. A store indexes
 * transactions by these so a refund finds its order's history without scanning the account.
 *
 * @example
 * ```ts
 * orderIdsOf(purchaseTransaction); // Set { 'A-100' }
 * ```
 */
export function orderIdsOf(tx: Transaction): Set<string> {
  const ids = new Set<string>();
  for (const e of tx.entries) {
    if (e.kind === 'earn' && e.lot.orderId !== undefined) ids.add(e.lot.orderId);
    else if (e.kind === 'activity' && e.orderId !== undefined) ids.add(e.orderId);
    else if ((e.kind === 'clawback' || e.kind === 'redeem' || e.kind === 'refund' || e.kind === 'capture') && e.orderId !== undefined) ids.add(e.orderId);
    else if (e.kind === 'hold' && e.hold.orderId !== undefined) ids.add(e.hold.orderId);
  }
  return ids;
}
